import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { RULES } from '../../../src/core/rules';
import { ArticleError, articleIdFor, articleTitle, isValidArticleId, listArticles, loadArticle } from '../../../src/core/knowledge/articles';
import { listKnownIssues } from '../../../src/core/knowledge/verdicts';
import { renderMarkdown } from '../../../src/core/knowledge/render';

const ARTICLES = path.join(process.env.ZFS_DIO_ROOT!, 'media/articles');
const OVERVIEWS = ['how-direct-io-works', 'copy-file-range-and-block-cloning'];
const SECTIONS = ['What happens', 'Why', 'Affected versions', 'What to do', 'Sources'];

function expectedIds(): string[] {
  return [...RULES.map((r) => r.article), ...listKnownIssues().map((i) => articleIdFor(i.id)), ...OVERVIEWS];
}

test('every rule, every known issue and both overviews have an article', () => {
  const present = new Set(listArticles(ARTICLES).map((a) => a.id));
  for (const rule of RULES) assert.equal(rule.article, rule.id, 'rule article id = rule id (team contract)');
  for (const id of expectedIds()) assert.ok(present.has(id), `media/articles/${id}.md exists`);
  for (const issue of listKnownIssues()) assert.equal(issue.article, articleIdFor(issue.id));
});

test('every article starts with a title, has the five sections, and cites at least one URL under Sources', () => {
  for (const { id } of listArticles(ARTICLES)) {
    const { title, markdown } = loadArticle(ARTICLES, id);
    assert.match(markdown.split('\n')[0]!, /^# \S/, `${id}: first line is "# Title"`);
    assert.notEqual(title, id, `${id}: title comes from the heading`);
    const headings = [...markdown.matchAll(/^## (.+)$/gm)].map((m) => m[1]!.trim());
    for (const s of SECTIONS) assert.ok(headings.includes(s), `${id}: has "## ${s}"`);
    const sources = markdown.slice(markdown.indexOf('\n## Sources'));
    assert.match(sources, /\]\(https:\/\/[^)\s]+\)/, `${id}: Sources has a link`);
    const lines = markdown.trimEnd().split('\n').length;
    assert.ok(lines >= 45 && lines <= 160, `${id}: ${lines} lines, meant to be focused (about 60–150)`);
  }
});

test('the overview titles are the ones the spec names', () => {
  assert.equal(loadArticle(ARTICLES, 'how-direct-io-works').title, 'How OpenZFS Direct I/O works (2.3 and 2.4)');
  assert.equal(loadArticle(ARTICLES, 'copy-file-range-and-block-cloning').title, 'copy_file_range, block cloning and their fallbacks');
});

test('articles only cite http(s) sources and every article renders without live HTML or foreign links', () => {
  for (const { id } of listArticles(ARTICLES)) {
    const { markdown } = loadArticle(ARTICLES, id);
    for (const m of markdown.matchAll(/\]\(([^)\s]+)\)/g)) assert.match(m[1]!, /^(https:\/\/|#)/, `${id}: link ${m[1]}`);
    const html = renderMarkdown(markdown);
    assert.ok(!/<(script|img|iframe)/i.test(html), `${id}: no active HTML`);
    for (const m of html.matchAll(/href="([^"]*)"/g)) assert.match(m[1]!, /^(https:\/\/|#)/, `${id}: rendered href ${m[1]}`);
  }
});

const VERSION_PATTERN = /\b[0-2]\.\d+\.\d+(?:-rc\d+)?\b/g;

/** The OpenZFS versions an article may name: the committed list, one per line, comments after '#'. */
function knownVersions(): Set<string> {
  const file = path.join(process.env.ZFS_DIO_ROOT!, 'test/fixtures/knowledge/openzfs-versions.txt');
  return new Set(readFileSync(file, 'utf8').split('\n').map((l) => l.replace(/#.*/, '').trim()).filter(Boolean));
}

test('versions named in articles are versions the committed list knows', () => {
  // Every OpenZFS release number the articles mention must be on the list, so no article can quietly invent a
  // version; adding one to the list is a visible change next to its source.
  const known = knownVersions();
  assert.ok(known.size > 10, 'the version list was read');
  for (const { id } of listArticles(ARTICLES)) {
    const text = loadArticle(ARTICLES, id).markdown
      .replace(/https?:\/\/\S+/g, '')                  // URLs contain commit hashes and paths
      .replace(/\b(?:kernel|Linux|kernels)[^.|\n]*/gi, ''); // kernel versions (5.15, 6.12.117) are not OpenZFS versions
    for (const v of text.match(VERSION_PATTERN) ?? []) {
      assert.ok(known.has(v), `${id}: OpenZFS version ${v} is not in test/fixtures/knowledge/openzfs-versions.txt`);
    }
  }
});

test('loadArticle refuses anything that is not a plain id', () => {
  for (const bad of ['../etc/passwd', '..', '../../README', 'a/b', 'a\\b', '.hidden', '', 'x'.repeat(101), 'ZDIO001.md/..', 'openzfs#16958', 'a\0b']) {
    assert.throws(() => loadArticle(ARTICLES, bad), (e: unknown) => e instanceof ArticleError && e.code === 'BAD_ID', JSON.stringify(bad));
  }
  assert.equal(isValidArticleId('pre-2.3-odirect'), true);
  assert.throws(() => loadArticle(ARTICLES, 'no-such-article'), (e: unknown) => e instanceof ArticleError && e.code === 'NOT_FOUND');
  assert.equal(articleIdFor('openzfs#16958'), 'openzfs-16958');
});

test('listArticles and loadArticle on a scratch directory', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'zfs-dio-articles-'));
  writeFileSync(path.join(dir, 'good.md'), 'intro line\n\n# A Title #\n\ntext\n');
  writeFileSync(path.join(dir, 'untitled.md'), 'no heading here\n');
  writeFileSync(path.join(dir, '.hidden.md'), '# Hidden\n');
  writeFileSync(path.join(dir, 'notes.txt'), '# Not markdown\n');
  assert.deepEqual(listArticles(dir), [{ id: 'good', title: 'A Title' }, { id: 'untitled', title: 'untitled' }]);
  assert.equal(articleTitle('## only h2\n'), undefined);
  assert.throws(() => listArticles(path.join(dir, 'missing')), (e: unknown) => e instanceof ArticleError && e.code === 'NOT_FOUND');
});

test('articles and the known-issues database cite only what a reader can open', () => {
  const unreachable = /fact\s+sheet|NOTES\.md|§\s*\d|\/work\//i;
  for (const a of listArticles(ARTICLES)) {
    const text = readFileSync(path.join(ARTICLES, `${a.id}.md`), 'utf8');
    assert.ok(!unreachable.test(text), `${a.id}: ${text.match(unreachable)?.[0]}`);
  }
  const db = readFileSync(path.join(process.env.ZFS_DIO_ROOT!, 'src/core/knowledge/known-issues.json'), 'utf8');
  assert.ok(!unreachable.test(db), `known-issues.json: ${db.match(unreachable)?.[0]}`);
});
