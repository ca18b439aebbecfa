// Knowledge articles are plain markdown files shipped in media/articles/. Ids come from rule and issue
// tables, but also from webview messages and command arguments, so they are checked before they touch
// the file system: a plain file name, never a path.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

export interface Article { id: string; title: string; markdown: string }
export interface ArticleSummary { id: string; title: string }

export type ArticleErrorCode = 'BAD_ID' | 'NOT_FOUND' | 'TOO_LARGE';
export class ArticleError extends Error {
  constructor(readonly code: ArticleErrorCode, message: string) {
    super(message);
    this.name = 'ArticleError';
  }
}

const PLAIN_ID = /^[A-Za-z0-9._-]+$/;
/** Articles are short; anything this large is not one of ours. */
const MAX_ARTICLE_BYTES = 512 * 1024;

/** True for ids such as `ZDIO001`, `openzfs-16958`, `pre-2.3-odirect`; false for anything path-like. */
export function isValidArticleId(id: unknown): id is string {
  return typeof id === 'string' && id.length > 0 && id.length <= 100 && PLAIN_ID.test(id)
    && !id.includes('..') && !id.startsWith('.');
}

/** Rule ids are article ids as they are; issue ids turn '#' into '-' (`openzfs#16958` → `openzfs-16958`). */
export function articleIdFor(ruleOrIssueId: string): string {
  return ruleOrIssueId.replace('#', '-');
}

/** The first `# ` heading, or undefined when the article has none. */
export function articleTitle(markdown: string): string | undefined {
  for (const line of markdown.split(/\r?\n/)) {
    const m = /^#\s+(.+?)\s*#*\s*$/.exec(line);
    if (m) return m[1];
  }
  return undefined;
}

export function loadArticle(dir: string, id: string): Article {
  if (!isValidArticleId(id)) {
    throw new ArticleError('BAD_ID', `"${String(id).slice(0, 100)}" is not an article id (letters, digits, '.', '_' and '-' only, no '..')`);
  }
  const file = path.join(dir, `${id}.md`);
  let size: number;
  try {
    const st = statSync(file);
    if (!st.isFile()) throw new Error('not a file');
    size = st.size;
  } catch {
    throw new ArticleError('NOT_FOUND', `no article "${id}" in ${dir}`);
  }
  if (size > MAX_ARTICLE_BYTES) throw new ArticleError('TOO_LARGE', `article "${id}" is ${size} bytes, more than ${MAX_ARTICLE_BYTES}`);
  const markdown = readFileSync(file, 'utf8');
  return { id, title: articleTitle(markdown) ?? id, markdown };
}

/** Every article in `dir`, sorted by id; files whose names are not valid ids are ignored. */
export function listArticles(dir: string): ArticleSummary[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    throw new ArticleError('NOT_FOUND', `article directory ${dir} cannot be read`);
  }
  return names
    .filter((n) => n.endsWith('.md'))
    .map((n) => n.slice(0, -3))
    .filter(isValidArticleId)
    .sort()
    .map((id) => {
      const { title } = loadArticle(dir, id);
      return { id, title };
    });
}
