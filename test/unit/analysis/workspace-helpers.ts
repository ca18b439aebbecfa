// Helpers for the tests of analysis across files: a project written to a fresh temporary folder, and
// one of its files analysed the way a scan analyses it (the real WorkspaceIndex over the real disk).
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import assert from 'node:assert/strict';
import { analyzeText } from '../../../src/core/analysis/analyze';
import { WorkspaceIndex } from '../../../src/core/analysis/workspace';
import { DEFAULT_SETTINGS, type AnalysisResult, type Language } from '../../../src/core/types';
import { expectationsOf, findingKeys } from './rust-go-python-helpers';

export interface Project { dir: string; write(rel: string, text: string): void; remove(): void }

/** Writes `files` (relative path -> text) into a new temporary folder. */
export function makeProject(files: Record<string, string>): Project {
  const dir = mkdtempSync(path.join(tmpdir(), 'zdio-xfile-'));
  const write = (rel: string, text: string): void => {
    const abs = path.join(dir, rel);
    mkdirSync(path.dirname(abs), { recursive: true });
    writeFileSync(abs, text);
  };
  for (const [rel, text] of Object.entries(files)) write(rel, text);
  return { dir, write, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Analyses `rel` of the project with an index over the project's folder (or `index`, to keep one across calls). */
export async function analyzeIn(project: Project, rel: string, language: Language, text: string, index?: WorkspaceIndex): Promise<AnalysisResult> {
  const workspace = index ?? new WorkspaceIndex({ roots: [project.dir], snapshot: true });
  return analyzeText(text, language, DEFAULT_SETTINGS, { fileName: path.join(project.dir, rel), workspace });
}

export const siteLines = (result: AnalysisResult): string[] =>
  result.sites.map((s) => `${s.range.start.line + 1} ${s.kind} ${s.callee}`).sort();

/** Checks the sites and findings of `rel` against its `// => …` comments (see rust-go-python-helpers.ts). */
export async function checkInProject(project: Project, rel: string, language: Language, text: string): Promise<AnalysisResult> {
  const expected = expectationsOf(text);
  const result = await analyzeIn(project, rel, language, text);
  assert.equal(result.analysisError, undefined);
  assert.deepEqual(siteLines(result), expected.sites, `${rel}: sites`);
  assert.deepEqual(findingKeys(result), expected.findings, `${rel}: findings`);
  return result;
}
