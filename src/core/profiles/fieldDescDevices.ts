/** Field descriptors: host devices (paths and CDI names). */
import { t } from '../l10n';
import { addDevice, parseDevice } from './fields';
import { takeFlag, type FieldDescriptor } from './fieldTypes';
import { describe, list, record, shorten, take, vars } from './parseValues';
import { P, pat } from './schemaParts';
import { nlsText } from './schemaNls';

export const DEVICE_FIELDS = {
  devices: {
    schema: {
      type: 'array',
      items: {
        anyOf: [
          {
            type: 'string',
            ...pat(
              '^(/|\\$\\{|[a-zA-Z0-9][a-zA-Z0-9._-]*/[a-zA-Z0-9][a-zA-Z0-9_-]*=[a-zA-Z0-9])',
              'device',
              'Write an absolute path such as /dev/fuse, or a CDI device name such as nvidia.com/gpu=all.',
            ),
            examples: ['/dev/fuse', '/dev/infiniband/uverbs0', 'nvidia.com/gpu=all'],
          },
          {
            type: 'object',
            required: ['pathOnHost'],
            additionalProperties: false,
            properties: {
              pathOnHost: { type: 'string' },
              pathInContainer: { type: 'string' },
              cgroupPermissions: {
                type: 'string',
                ...pat('^[rwm]{1,3}$', 'cgroupPermissions', 'Use a combination of r, w and m.'),
              },
            },
          },
        ],
      },
      description: nlsText(
        P + 'devices',
        'Host devices: "/dev/host[:/dev/container][:rwm]", or CDI device names such as "nvidia.com/gpu=all".',
      ),
    },
    parse(p, v, report, key) {
      const l = list(key, v, report);
      l?.forEach((x, i) => {
        const f = `devices[${i}]`;
        if (typeof x === 'string') {
          vars(f, x, report);
          const r = take(f, parseDevice(x), report);
          if (r) addDevice(p, r);
          return;
        }
        const o = record(x);
        if (!o || typeof o.pathOnHost !== 'string')
          return report(
            f,
            t('a device must be "/dev/x[:/dev/y][:rwm]" or {"pathOnHost": "/dev/x"}, not {0}.', describe(x)),
          );
        const text = [
          o.pathOnHost,
          typeof o.pathInContainer === 'string' ? o.pathInContainer : o.pathOnHost,
          typeof o.cgroupPermissions === 'string' ? o.cgroupPermissions : 'rwm',
        ].join(':');
        const r = take(f, parseDevice(text), report);
        if (r) p.devices.push(r);
      });
    },
    flags: [
      {
        long: 'device',
        apply: (p, v, r) => {
          const d = takeFlag(parseDevice(v), r);
          if (d) addDevice(p, d);
        },
      },
    ],
    create(p, body, x) {
      const paths = p.devices.filter((d) => !d.cdi);
      if (paths.length) {
        body.hostConfig.Devices = paths.map((d) => ({
          PathOnHost: x.host(`devices[${p.devices.indexOf(d)}]`, d.pathOnHost),
          PathInContainer: d.pathInContainer,
          CgroupPermissions: d.cgroupPermissions,
        }));
      }
      // CDI names go as the docker CLI 25+ sends them: one request for the "cdi" driver, after the GPUs' (gpus'
      // hook). An engine without CDI (Docker < 25, or CDI not enabled) creates the container but refuses to
      // start it, so say it before.
      const cdi = p.devices.filter((d) => d.cdi);
      if (!cdi.length) return;
      body.hostConfig.DeviceRequests = [
        ...(body.hostConfig.DeviceRequests ?? []),
        { Driver: 'cdi', DeviceIDs: cdi.map((d) => d.pathOnHost) },
      ];
      for (const d of cdi)
        x.problem(
          `devices[${p.devices.indexOf(d)}]`,
          'warning',
          t(
            '{0} is a CDI device name: Docker passes it on only from version 25 with CDI enabled ("features": {"cdi": true} in /etc/docker/daemon.json); an older engine creates the container but refuses to start it (could not select device driver "cdi"). There, use the device\'s /dev path.',
            shorten(d.pathOnHost),
          ),
        );
    },
    inspect(p, x) {
      for (const d of x.hc.Devices ?? [])
        p.devices.push({
          pathOnHost: d.PathOnHost,
          pathInContainer: d.PathInContainer || d.PathOnHost,
          cgroupPermissions: d.CgroupPermissions || 'rwm',
        });
    },
    run: (p, x) =>
      p.devices.flatMap((d) => [
        '--device',
        d.cdi
          ? d.pathOnHost
          : d.pathInContainer === d.pathOnHost && d.cgroupPermissions === 'rwm'
            ? x.host(d.pathOnHost)
            : `${x.host(d.pathOnHost)}:${d.pathInContainer}:${d.cgroupPermissions}`,
      ]),
    compose(p, svc, x) {
      if (p.devices.length)
        svc.devices = p.devices.map((d) =>
          d.cdi ? d.pathOnHost : `${x.path(d.pathOnHost)}:${d.pathInContainer}:${d.cgroupPermissions}`,
        );
    },
    settings: (p) =>
      p.devices.map((d) =>
        d.cdi || (d.pathInContainer === d.pathOnHost && d.cgroupPermissions === 'rwm')
          ? d.pathOnHost
          : { pathOnHost: d.pathOnHost, pathInContainer: d.pathInContainer, cgroupPermissions: d.cgroupPermissions },
      ),
  },
} satisfies Record<string, FieldDescriptor>;
