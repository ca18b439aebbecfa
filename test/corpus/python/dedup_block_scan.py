# Pattern: a block-deduplication scanner that opens its input with os.O_DIRECT | os.O_RDONLY and reads it with os.read() in blocks of a size given on the command line (a checked power of two, 4096 by default), hashing each block and writing the unique ones to an output directory with ordinary files (modelled on the dioskrS v0.1 deduplication script, init_vars() with its block_check argument type and main()'s os.read loop).
# zdio-category: cross-function
import argparse
import hashlib
import os
import sys


def block_check(value):
    size = int(value)
    if size < 512 or size & (size - 1):
        raise argparse.ArgumentTypeError("block size must be a power of two of at least 512")
    return size


def init_vars():
    parser = argparse.ArgumentParser(description="find duplicate blocks in a file")
    parser.add_argument("input_file", help="file to scan")
    parser.add_argument("-b", "--block_size", default="4096", type=block_check,
                        help="size of a deduplication block in bytes")
    parser.add_argument("-o", "--output_dir", default="blocks", help="where unique blocks go")
    args = parser.parse_args()
    return args.input_file, args.block_size, args.output_dir


def open_input(path):
    try:
        return os.open(path, os.O_DIRECT | os.O_RDONLY)  # zdio-expect-site: o_direct_open
    except OSError as e:
        print("open %s: %s" % (path, e), file=sys.stderr)
        sys.exit(1)


def store_block(output_dir, digest, block):
    path = os.path.join(output_dir, digest)
    if os.path.exists(path):
        return False
    with open(path, "wb") as out:
        out.write(block)  # zdio-expect-none: o_direct_io, ZDIO001, ZDIO002
    return True


def main():
    input_file, block_size, output_dir = init_vars()
    file_size = os.stat(input_file).st_size
    if file_size < block_size:
        print("file is smaller than the deduplication block size")
        return 0
    os.makedirs(output_dir, exist_ok=True)

    fd = open_input(input_file)
    blocks = unique = 0
    try:
        while True:
            block = os.read(fd, block_size)  # zdio-expect-site: o_direct_io, zdio-expect: ZDIO001
            if not block:
                break
            blocks += 1
            digest = hashlib.sha512(block).hexdigest()
            if store_block(output_dir, digest, block):
                unique += 1
    finally:
        os.close(fd)
    print("%d blocks, %d unique" % (blocks, unique))
    return 0


if __name__ == "__main__":
    sys.exit(main())
