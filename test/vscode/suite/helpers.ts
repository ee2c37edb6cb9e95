import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import type { ContainerInspectInfo } from 'dockerode';
import * as vscode from 'vscode';
import type { Api } from '../../../src/extension';
import type { Ui } from '../../../src/ui';

const execFileP = promisify(execFile);

export const EXTENSION_ID = 'gpu-containers.gpu-containers';
export const RUN = process.env.GPU_CONTAINERS_TEST_RUN ?? `local${Date.now().toString(36)}`;
export const RUN_LABEL = `gpu-containers-test.run=${RUN}`;
export const REPO = process.env.GPU_CONTAINERS_REPO ?? path.resolve(__dirname, '..', '..', '..', '..');
export const BUSYBOX = 'gpu-containers-test/busybox:1';
export const BASH = 'gpu-containers-test/bash:1';

export async function api(): Promise<Api> {
  const ext = vscode.extensions.getExtension<Api>(EXTENSION_ID);
  if (!ext) throw new Error(`${EXTENSION_ID} is not installed in this host`);
  return ext.isActive ? ext.exports : ext.activate();
}

/** The docker CLI, for setting up and checking real effects from outside the extension. */
export async function docker(...args: string[]): Promise<string> {
  const { stdout } = await execFileP('docker', args, { maxBuffer: 16 * 1024 * 1024 });
  return stdout.trim();
}

export async function inspect(name: string): Promise<ContainerInspectInfo> {
  return (JSON.parse(await docker('inspect', '--type', 'container', name)) as ContainerInspectInfo[])[0];
}

export async function exists(name: string): Promise<boolean> {
  try {
    await docker('inspect', '--type', 'container', name);
    return true;
  } catch {
    return false;
  }
}

export async function waitFor<T>(
  what: string,
  fn: () => T | undefined | false | Promise<T | undefined | false>,
  timeoutMs = 10_000,
  stepMs = 50,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, stepMs));
  }
}

export function uniqueName(prefix: string): string {
  return `${prefix}-${RUN}-${Math.random().toString(36).slice(2, 7)}`;
}

export async function cleanupByLabel(): Promise<void> {
  const ids = (await docker('ps', '-aq', '--filter', `label=${RUN_LABEL}`)).split('\n').filter(Boolean);
  if (ids.length) await docker('rm', '-f', ...ids);
}

/** Scripted answers for the extension's prompts, by prompt id; records every prompt it was asked. */
export class ScriptedUi implements Ui {
  readonly asked: Array<{ id: string; message?: string; items?: string[]; details?: string[]; options?: unknown }> = [];
  constructor(private readonly answers: Record<string, unknown[]> = {}) {}

  script(id: string, ...answers: unknown[]): void {
    (this.answers[id] ??= []).push(...answers);
  }

  /** A scripted Error is thrown (e.g. `new GoBack()`: the user pressed Back on a step). */
  private next(id: string): unknown {
    const queue = this.answers[id];
    const a = queue && queue.length > 0 ? queue.shift() : undefined;
    if (a instanceof Error) throw a;
    return a;
  }

  async pick<T extends vscode.QuickPickItem>(
    id: string,
    items: readonly T[] | Thenable<readonly T[]>,
    options?: vscode.QuickPickOptions,
  ): Promise<T | undefined> {
    const list = await items;
    this.asked.push({ id, items: list.map((i) => i.label), details: list.map((i) => i.detail ?? ''), options });
    const a = this.next(id);
    if (typeof a === 'function') return list.find(a as (i: T) => boolean);
    if (typeof a === 'string') return list.find((i) => i.label === a || i.label.includes(a));
    return undefined;
  }
  pickMany<T extends vscode.QuickPickItem>(id: string, items: readonly T[]): Promise<readonly T[] | undefined> {
    this.asked.push({ id, items: items.map((i) => i.label) });
    const a = this.next(id);
    return Promise.resolve(Array.isArray(a) ? items.filter((i) => a.includes(i.label)) : undefined);
  }
  input(id: string, options?: vscode.InputBoxOptions): Promise<string | undefined> {
    this.asked.push({ id, options });
    return Promise.resolve(this.next(id) as string | undefined);
  }
  ask(id: string, _severity: string, message: string, _o: unknown, ...choices: string[]): Promise<string | undefined> {
    this.asked.push({ id, message, items: choices });
    const a = this.next(id);
    if (typeof a === 'number') return Promise.resolve(choices[a]);
    return Promise.resolve(typeof a === 'string' ? (choices.find((c) => c === a) ?? undefined) : undefined);
  }
  saveFile(id: string): Promise<vscode.Uri | undefined> {
    this.asked.push({ id });
    return Promise.resolve(this.next(id) as vscode.Uri | undefined);
  }
  openFile(id: string, options?: vscode.OpenDialogOptions): Promise<vscode.Uri | undefined> {
    this.asked.push({ id, options });
    return Promise.resolve(this.next(id) as vscode.Uri | undefined);
  }
}

/** The command ids package.json contributes. */
export function contributedCommands(): string[] {
  const pkg = JSON.parse(fs.readFileSync(path.join(REPO, 'package.json'), 'utf8'));
  return pkg.contributes.commands.map((c: { command: string }) => c.command);
}

/** The rig's cluster (scripts/rig/k8s.sh, run by setup.sh): its kubeconfig, from k8s.env. */
export function rigKubeconfig(): string {
  const cache = process.env.GPU_CONTAINERS_DEV_CACHE || path.join(os.homedir(), '.cache', 'gpu-containers-dev');
  const envFile = path.join(cache, 'k8s.env');
  const file = fs.existsSync(envFile)
    ? /^GPU_CONTAINERS_TEST_KUBECONFIG=(.+)$/m.exec(fs.readFileSync(envFile, 'utf8'))?.[1]?.trim()
    : undefined;
  if (!file || !fs.existsSync(file)) throw new Error(`no Kubernetes rig (${envFile}): run bash scripts/rig/k8s.sh`);
  return file;
}
