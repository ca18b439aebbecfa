// Entry point: builds one context and registers the editor features. It decides nothing itself.
import type * as vscode from 'vscode';

export function activate(_context: vscode.ExtensionContext): void {
  // Wiring is added by the editor layer (src/editor/*).
}

export function deactivate(): void { /* disposables are owned by the context */ }
