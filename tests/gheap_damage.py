"""gheap_damage.py FILE OUTDIR: one damaged copy of FILE per object of HDF5's global heap
(the file areas that begin with "GCOL" and hold variable-length data, e.g. the
DIMENSION_LIST attributes of datasets with dimension scales), with that object's size
field raised by 0x120000. The global heap has no checksum, and HDF5 1.10.8 copies an
object of a damaged size past its buffer (fuzz-h5 found it, tests/fuzz/found-h5/README.md).
Prints the copies' paths, one a line. Uses only the standard library."""
import os
import struct
import sys


def main():
    src, outdir = sys.argv[1], sys.argv[2]
    data = open(src, "rb").read()
    os.makedirs(outdir, exist_ok=True)
    start = data.find(b"GCOL")
    while start >= 0:
        size = struct.unpack_from("<Q", data, start + 8)[0]   # collection size, header included
        p = start + 16
        while p + 16 <= start + size:
            idx, _refs, _res, objsize = struct.unpack_from("<HHIQ", data, p)
            if idx == 0:   # the free space that ends the collection
                break
            copy = bytearray(data)
            copy[p + 8 + 2] ^= 0x12   # size + 0x120000 (the sizes here are far below 2^16)
            path = os.path.join(outdir, "gcol%d-obj%d.h5" % (start, idx))
            open(path, "wb").write(copy)
            print(path)
            p += 16 + (objsize + 7) // 8 * 8
        start = data.find(b"GCOL", start + 4)


if __name__ == "__main__":
    main()
