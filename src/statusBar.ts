import * as vscode from 'vscode';
import { Views } from './constants';
import type { EngineService } from './hosts/engineService';
import type { RefreshManager } from './tree/refresh';
import type { HostsService } from './hosts/hostsService';
import { fleetText } from './hosts/hostsTree';

const t = vscode.l10n.t;

/** Engine state and the running-container count; a click focuses the Containers view. */
export class StatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('gpuContainers.status', vscode.StatusBarAlignment.Left, 50);
  private readonly subs: vscode.Disposable[];

  constructor(
    private readonly refresh: RefreshManager,
    private readonly engines: EngineService,
    private readonly hosts?: HostsService,
  ) {
    this.item.name = t('GPU Containers');
    this.item.command = `${Views.containers}.focus`;
    this.subs = [refresh.onDidChangeContainers(() => this.update()), refresh.onDidChangeState(() => this.update())];
    if (hosts) this.subs.push(hosts.onDidChange(() => this.update()));
    this.update();
    this.item.show();
  }

  private update(): void {
    if (this.hosts?.multiple) {
      // Several hosts: running containers over all of them, and the fleet's GPUs ("GPU 11/24 free · 3 hosts").
      const fleet = fleetText(this.hosts);
      const running = this.hosts.list
        .map((h) => h.refresh.containers.all().filter((c) => c.state === 'running').length)
        .reduce((a, b) => a + b, 0);
      // The leading number says what it counts ("69 running"): it is not a GPU count like the rest.
      this.item.text = `$(vm-running) ${t('{0} running', running)}${fleet.text ? ` · ${fleet.text}` : ''}`;
      this.item.tooltip = `${t('{0} running on {1} hosts', running, this.hosts.list.length)}\n${fleet.tooltip}`;
      this.item.accessibilityInformation = {
        label: `${t('GPU Containers')}: ${this.item.text.replace(/\$\([^)]*\)\s*/g, '')}`,
      };
      this.item.backgroundColor = undefined;
      return;
    }
    const state = this.refresh.state;
    const host = this.engines.endpoint.host;
    if (state === 'ok') {
      const running = this.refresh.containers.all().filter((c) => c.state === 'running').length;
      this.item.text = `$(vm-running) ${running}`;
      this.item.tooltip = t('GPU Containers: {0} running on {1}', running, host);
      this.item.accessibilityInformation = {
        label:
          running === 1
            ? t('GPU Containers: 1 container running on {0}', host)
            : t('GPU Containers: {0} containers running on {1}', running, host),
      };
      this.item.backgroundColor = undefined;
    } else if (state === 'unknown') {
      this.item.text = '$(vm-outline)';
      this.item.tooltip = t('GPU Containers: {0}', host);
      this.item.accessibilityInformation = { label: this.item.tooltip };
      this.item.backgroundColor = undefined;
    } else {
      this.item.text = '$(vm-outline) $(warning)';
      this.item.tooltip = this.refresh.lastError
        ? `${this.refresh.lastError.message} ${this.refresh.lastError.fix}`
        : t('Docker engine unavailable');
      this.item.accessibilityInformation = { label: t('GPU Containers: {0}', this.item.tooltip) };
      this.item.backgroundColor = new vscode.ThemeColor('statusBarItem.warningBackground');
    }
  }

  dispose(): void {
    for (const s of this.subs) s.dispose();
    this.item.dispose();
  }
}
