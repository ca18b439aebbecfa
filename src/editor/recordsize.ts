// The recordsize seam on the editor side: a file on a ZFS dataset is analyzed with that dataset's real
// recordsize (from the probe module's cache); everything else uses the `zfsDio.recordsize` setting.
// The cache runs `zfs`, so it is only used in a trusted workspace, and it is filled in the background.
import * as vscode from 'vscode';
import type { RecordsizeSource } from '../core/types';
import type { SettingsReader } from './settings';
import { lazyModules } from './lazyLoader';

export class RecordsizeSeam implements RecordsizeSource, vscode.Disposable {
  private cache: RecordsizeSource | undefined;
  private refreshing: Promise<void> | undefined;
  private loadedOnce = false;
  private readonly emitter = new vscode.EventEmitter<void>();
  /** Fires after a refresh that may have changed recordsizes (open documents are re-analyzed). */
  readonly onDidRefresh = this.emitter.event;

  constructor(private readonly settings: SettingsReader, private readonly log: vscode.LogOutputChannel) {}

  /** Whether the dataset cache may be used now (setting on, workspace trusted). */
  get datasetLookupEnabled(): boolean {
    return this.settings.settings.useDatasetRecordsize && vscode.workspace.isTrusted;
  }

  /** The dataset's recordsize for the file, or undefined (then the core uses `zfsDio.recordsize`). */
  recordsizeFor(filePath: string): number | undefined {
    if (!this.cache || !this.datasetLookupEnabled) return undefined;
    try {
      return this.cache.recordsizeFor(filePath);
    } catch (err) {
      this.log.warn(`recordsize lookup for ${filePath} failed, using zfsDio.recordsize: ${String(err)}`);
      return undefined;
    }
  }

  /**
   * Reloads dataset recordsizes. Never throws: a machine without ZFS simply keeps the setting.
   * Concurrent calls share one refresh.
   */
  refresh(): Promise<void> {
    if (!this.datasetLookupEnabled) return Promise.resolve();
    this.refreshing ??= this.doRefresh().finally(() => { this.refreshing = undefined; });
    return this.refreshing;
  }

  /** Resolves once a first load has been attempted (it never loads twice just because a scan starts). */
  whenLoaded(): Promise<void> {
    if (this.refreshing) return this.refreshing;
    return this.loadedOnce ? Promise.resolve() : this.refresh();
  }

  private async doRefresh(): Promise<void> {
    const started = Date.now();
    this.loadedOnce = true;
    try {
      const { probe } = lazyModules();
      const { zfsPath } = this.settings.settings.probe;
      const cache = new probe.DatasetRecordsizeCache({ zfsPath });
      await cache.refresh();   // never throws; a failure is in lastError
      this.cache = cache;
      if (cache.lastError) {
        if (cache.lastError.code === 'NO_ZFS') this.log.info(`no ZFS on this machine (${cache.lastError.message}): analysis uses zfsDio.recordsize`);
        else this.log.warn(`could not read dataset recordsizes, using zfsDio.recordsize: ${cache.lastError.message}`);
        return;
      }
      this.log.info(`dataset recordsizes: ${cache.size} ZFS mount point(s) in ${Date.now() - started} ms`);
      this.emitter.fire();
    } catch (err) {
      this.log.warn(`could not read dataset recordsizes, using zfsDio.recordsize: ${err instanceof Error ? err.message : String(err)}`);
    }
  }

  dispose(): void { this.emitter.dispose(); }
}
