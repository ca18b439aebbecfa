// Opens the root-cause panel through a dynamic import, so the panel host (and the markdown renderer
// and probe modules it loads) is evaluated only when a panel is first shown, not at activation.
import type { EditorContext } from './context';
import type { PanelTarget } from './panel';

let loaded: Promise<typeof import('./panel')> | undefined;

function panelModule(ctx: EditorContext): Promise<typeof import('./panel')> {
  loaded ??= import('./panel').then((m) => {
    m.RootCausePanel.useLog(ctx.log);   // one output channel for the whole extension
    return m;
  });
  loaded.catch(() => { loaded = undefined; });
  return loaded;
}

export async function openPanel(ctx: EditorContext, target?: PanelTarget): Promise<void> {
  const { RootCausePanel } = await panelModule(ctx);
  RootCausePanel.show(ctx.extension, target);
}

/** Registers the webview serializer so a panel open before a reload comes back. */
export async function registerPanelSerializer(ctx: EditorContext): Promise<void> {
  const { RootCausePanel } = await panelModule(ctx);
  ctx.extension.subscriptions.push(RootCausePanel.registerSerializer(ctx.extension));
}
