// Blanking comments and literals before the text-only providers look for imports and modules: the
// blanked text keeps every line break and every other character's position.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Blanked } from '../../../src/core/analysis/workspace/blanked';
import { blankPython } from '../../../src/core/analysis/workspace/python-imports';
import { blankCommentsAndStrings } from '../../../src/core/analysis/workspace/rust-modules';

describe('Blanked', () => {
  it('replaces the ranges by spaces, keeps line breaks and clips ranges past the end', () => {
    const b = new Blanked('ab\ncd\nef');
    b.blank(1, 4);
    b.blank(6, 99);
    assert.equal(b.text(), 'a \n d\n  ');
  });

  it('blanks a range that starts inside the previous one from where that one ended', () => {
    const b = new Blanked('0123456789');
    b.blank(2, 5);
    b.blank(3, 7);
    b.blank(7, 7);
    assert.equal(b.text(), '01     789');
  });

  it('gives the text itself when nothing is blanked', () => {
    assert.equal(new Blanked('x = 1\n').text(), 'x = 1\n');
  });
});

describe('blanking keeps positions', () => {
  it('Python: comments, strings, triple-quoted strings over lines, an unterminated string, surrogate pairs', () => {
    const text = 'a = "x#y" # c\nb = """p\n\'q\'\n"""\nc = \'open\nd = "😀" + e\n';
    const blanked = blankPython(text);
    const sp = (n: number) => ' '.repeat(n);
    assert.equal(blanked, `a = ${sp(9)}\nb = ${sp(4)}\n${sp(3)}\n${sp(3)}\nc = ${sp(5)}\nd = ${sp(4)} + e\n`);
    assert.equal(blanked.length, text.length);
  });

  it('Rust: nested block comments, raw strings, char literals and lifetimes, an escaped quote', () => {
    const text = "/* a /* b */ c */ x\nlet s = r#\"mod q;\"#; let c = '\\''; fn f<'a>(v: &'a str) {}\nlet t = \"\\\"mod z;\";\n";
    const blanked = blankCommentsAndStrings(text);
    const sp = (n: number) => ' '.repeat(n);
    assert.equal(blanked, `${sp(18)}x\nlet s = ${sp(11)}; let c = ${sp(4)}; fn f<'a>(v: &'a str) {}\nlet t = ${sp(10)};\n`);
    assert.equal(blanked.length, text.length);
  });
});
