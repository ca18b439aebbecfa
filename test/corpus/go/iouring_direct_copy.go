// Pattern: a file copy benchmark on a Go io_uring library that reads the whole source with os.ReadFile, opens the destination with O_DIRECT, registers it with the ring and submits one Pwrite request per 1 MiB slice of the source bytes, collecting the results on a channel (modelled on the O_DIRECT copy programs written on Iceber/iouring-go, and on that library's examples/cp/main.go with iouring.Pwrite and SubmitRequest).
// zdio-category: async-io
package main

import (
	"fmt"
	"os"
	"sync"
	"syscall"
	"time"

	"github.com/iceber/iouring-go"
)

const entries uint = 128
const blockSize uint64 = 1024 * 1024

func main() {
	if len(os.Args) != 3 {
		fmt.Printf("Usage: %s file1 file2\n", os.Args[0])
		return
	}

	iour, err := iouring.New(entries)
	if err != nil {
		panic(fmt.Sprintf("new IOURing error: %v", err))
	}
	defer iour.Close()

	srcBytes, err := os.ReadFile(os.Args[1])
	if err != nil {
		fmt.Printf("read src file failed: %v\n", err)
		return
	}
	size := uint64(len(srcBytes))

	dest, err := os.OpenFile(os.Args[2], os.O_RDWR|os.O_CREATE|os.O_TRUNC|syscall.O_DIRECT, 0o666) // zdio-expect-site: o_direct_open
	if err != nil {
		fmt.Printf("create dest file failed: %v\n", err)
		return
	}
	defer dest.Close()

	if err := iour.RegisterFile(dest); err != nil {
		panic(err)
	}

	start := time.Now()
	times := int((size + blockSize - 1) / blockSize)
	var wg sync.WaitGroup
	wg.Add(times)

	ch := make(chan iouring.Result, entries)
	go func() {
		for result := range ch {
			if err := result.Err(); err != nil {
				panic(err)
			}
			wg.Done()
		}
	}()

	for i := 0; i < times; i++ {
		offset := uint64(i) * blockSize
		n := min(size-offset, blockSize)
		b := srcBytes[offset : offset+n]
		request := iouring.Pwrite(int(dest.Fd()), b, offset) // zdio-expect-site: o_direct_io, zdio-expect: ZDIO001, zdio-expect-none: ZDIO003
		if _, err := iour.SubmitRequest(request, ch); err != nil {
			panic(err)
		}
	}
	wg.Wait()
	close(ch)

	elapsed := time.Since(start)
	fmt.Printf("%.1f MB/s\n", float64(size)/1024/1024/elapsed.Seconds())
}
