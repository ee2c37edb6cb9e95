/**
 * Field descriptor: `idle`, the profile's idle policy (core/gpu/idlePolicy.ts). It has no `docker run` flag and
 * no Compose key: a launch records it in a label, and only this extension applies it — so the `docker run` and
 * Compose exports leave it out (nothing would apply it there), and no flag imports into it.
 */
import { IDLE_ACTIONS, idlePolicyOf, idleSettings, parseIdleSetting } from '../gpu/idlePolicy';
import type { FieldDescriptor } from './fieldTypes';
import { P, pat } from './schemaParts';
import { nlsText } from './schemaNls';

const idle: FieldDescriptor = {
  schema: {
    type: 'object',
    additionalProperties: false,
    required: ['below', 'for'],
    defaultSnippets: [{ body: { below: '5%', for: '2h', then: 'notify' } }],
    properties: {
      below: {
        type: 'string',
        ...pat('^\\s*\\d+(\\.\\d+)?\\s*%?\\s*$', 'idleBelow', 'Write a percentage such as 5%.'),
        examples: ['5%', '10%'],
        description: nlsText(
          P + 'idle.below',
          'Idle while the utilisation of every GPU the container holds stays under this, e.g. "5%".',
        ),
      },
      for: {
        type: 'string',
        ...pat('^\\s*\\d+(\\.\\d+)?\\s*(ms|s|m|h|d)\\s*$', 'idleAfter', 'Write a duration such as 30m, 2h or 90s.'),
        examples: ['2h', '30m'],
        description: nlsText(P + 'idle.for', 'How long it must stay idle before the policy applies, e.g. "2h".'),
      },
      then: {
        type: 'string',
        enum: [...IDLE_ACTIONS],
        default: 'notify',
        enumDescriptions: [
          nlsText(P + 'idle.then.notify', 'Tell you that the container has left its GPUs idle.'),
          nlsText(P + 'idle.then.stop', 'Tell you, then stop the container after the undo window unless you keep it.'),
          nlsText(
            P + 'idle.then.commitAndStop',
            'Tell you, then commit the container to an image <container>-idle-<date> and stop it after the undo window unless you keep it.',
          ),
        ],
        description: nlsText(P + 'idle.then', 'What to do once the container has been idle that long.'),
      },
    },
    markdownDescription: nlsText(
      P + 'idle',
      'Idle policy, e.g. `{ "below": "5%", "for": "2h", "then": "stop" }`. Recorded in a label at launch and applied by this extension **only to your own containers** (owner label = you) and **only while VS Code runs** and reads the GPUs: a notification first, and before a stop an undo window (setting `#gpuContainers.gpus.idleGraceSeconds#`, default 5 minutes) with Keep running / Stop now. Nobody else\'s container is ever touched. Not part of the docker run or Compose exports.',
    ),
  },
  parse(p, v, report) {
    const r = parseIdleSetting(v);
    for (const pr of r.problems) report(pr.field, pr.message, pr.severity);
    if (r.policy) p.idle = r.policy;
  },
  // Create: the launch adds the policy's label (core/launchPlan.ts); inspect reads it back.
  inspect(p, x) {
    const idle = idlePolicyOf(x.cfg.Labels ?? {});
    if (idle) p.idle = idle;
  },
  settings: (p) => (p.idle ? idleSettings(p.idle) : undefined),
};

export const IDLE_FIELDS = { idle };
