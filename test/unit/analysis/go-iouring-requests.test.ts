// Go: the request builders of github.com/iceber/iouring-go (`iouring.Pwrite(fd, b, offset)` and its
// Pread/Preadv/Pwritev siblings) name a descriptor, a buffer and an explicit offset; the I/O runs when the
// request is submitted, with those values. On an O_DIRECT descriptor each is a site judged like
// unix.Pwrite; on a buffered one, or from a package that is not that library, nothing is reported.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeText } from '../../../src/core/analysis/analyze';
import { DEFAULT_SETTINGS } from '../../../src/core/types';
import { expectationsOf, extractFacts, findingKeys, siteKeys } from './rust-go-python-helpers';

async function check(text: string): Promise<void> {
  const expected = expectationsOf(text);
  assert.deepEqual(siteKeys(await extractFacts('go', text)), expected.sites, 'sites');
  const r = await analyzeText(text, 'go', DEFAULT_SETTINGS, { fileName: 'main.go' });
  assert.equal(r.analysisError, undefined);
  assert.deepEqual(findingKeys(r), expected.findings, 'findings');
}

const program = (importLine: string, flags: string, marks: { open: string; write: string; read: string; writev: string }): string => `package main

import (
	"os"
	"syscall"

	${importLine}
	"github.com/ncw/directio"
)

func main() {
	dest, err := os.OpenFile("out.img", ${flags}, 0o644)${marks.open}
	if err != nil {
		return
	}
	block := directio.AlignedBlock(4096)
	head := make([]byte, 512)
	w := iouring.Pwrite(int(dest.Fd()), head, 0)${marks.write}
	r := iouring.Pread(int(dest.Fd()), block, 6144)${marks.read}
	v := iouring.Pwritev(int(dest.Fd()), [][]byte{block, block}, 8192)${marks.writev}
	_, _, _ = w, r, v
}
`;

test('go: iouring.Pwrite/Pread/Pwritev of Iceber/iouring-go on an O_DIRECT descriptor are sites judged on their arguments', async () => {
  await check(program('"github.com/iceber/iouring-go"', 'os.O_RDWR|os.O_CREATE|syscall.O_DIRECT', {
    open: ' // => o_direct_open os.OpenFile',
    write: ' // => o_direct_io iouring.Pwrite | ZDIO001 ZDIO002',
    read: ' // => o_direct_io iouring.Pread | ZDIO003',
    writev: ' // => o_direct_io iouring.Pwritev | ZDIO004',
  }));
  // under an alias of its own choosing
  await check(program('ring "github.com/iceber/iouring-go"', 'os.O_RDWR|os.O_CREATE|syscall.O_DIRECT', {
    open: ' // => o_direct_open os.OpenFile', write: '', read: '', writev: '',
  }).replace(/iouring\.(Pwrite|Pread|Pwritev)\((.*)$/gm, (_m, fn: string, rest: string) => {
    const mark = fn === 'Pwrite' ? ' // => o_direct_io ring.Pwrite | ZDIO001 ZDIO002' : fn === 'Pread' ? ' // => o_direct_io ring.Pread | ZDIO003' : ' // => o_direct_io ring.Pwritev | ZDIO004';
    return `ring.${fn}(${rest}${mark}`;
  }));
});

test('go: the same requests on a buffered descriptor, or from another package named iouring, report nothing', async () => {
  await check(program('"github.com/iceber/iouring-go"', 'os.O_RDWR|os.O_CREATE', { open: '', write: '', read: '', writev: '' }));
  await check(program('"example.com/other/iouring"', 'os.O_RDWR|os.O_CREATE|syscall.O_DIRECT', {
    open: ' // => o_direct_open os.OpenFile', write: '', read: '', writev: '',
  }));
});
