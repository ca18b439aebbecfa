// Opens the root-cause panel. The panel host (with the markdown renderer and probe modules it uses)
// lives in the lazy bundle, so it is evaluated only when a panel is first shown or restored.
import type { EditorContext } from './context';
import type { PanelTarget } from './panel';
import { lazyModules, type LazyModules } from './lazyLoader';

let logShared = false;

function panelModule(ctx: EditorContext): LazyModules['panel'] {
  const { panel } = lazyModules();
  if (!logShared) {
    // One output channel for everything, and the one settings reader: the panel's probe runs as the command's does.
    panel.RootCausePanel.useLog(ctx.log);
    panel.RootCausePanel.useProbeSettings(() => ctx.settings.settings.probe);
    logShared = true;
  }
  return panel;
}

export async function openPanel(ctx: EditorContext, target?: PanelTarget): Promise<void> {
  panelModule(ctx).RootCausePanel.show(ctx.extension, target);
}

/**
 * Registers the webview serializer so a panel open before a reload comes back. VS Code asks for it
 * only when such a panel exists (activation event onWebviewPanel:zfsDio.panel), so loading the panel
 * code is deferred until after activation returns.
 */
export function registerPanelSerializer(ctx: EditorContext): Promise<void> {
  return new Promise((resolve, reject) => {
    setImmediate(() => {
      try {
        ctx.extension.subscriptions.push(panelModule(ctx).RootCausePanel.registerSerializer(ctx.extension));
        resolve();
      } catch (err) { reject(err); }
    });
  });
}
