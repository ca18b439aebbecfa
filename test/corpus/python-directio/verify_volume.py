# Pattern: a tool that imports the package's class and buffer helper and reads a volume's metadata areas with constant sizes and offsets (modelled on the way vdsm's storage code reads volume metadata through its directio.DirectFile).
# zdio-category: cross-file
import sys

from directio import DirectFile, aligned_buffer

METADATA_SLOT = 512
LEASES_OFFSET = 1024 * 1024


def verify(path):
    with DirectFile(path, "r") as f:
        buf = aligned_buffer(1024 * 1024)
        view = memoryview(buf)
        f.readinto_at(view[:1024 * 1024], 0)  # zdio-expect-none: ZDIO001, ZDIO002, ZDIO003
        f.readinto_at(view[:METADATA_SLOT], LEASES_OFFSET)  # zdio-expect: ZDIO002
        f.readinto_at(bytearray(4096), LEASES_OFFSET + 4096)  # zdio-expect: ZDIO001
        f.readinto_at(view[:4096], LEASES_OFFSET + METADATA_SLOT)  # zdio-expect: ZDIO003
    return True


if __name__ == "__main__":
    sys.exit(0 if verify(sys.argv[1]) else 1)
