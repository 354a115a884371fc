"""Writes malformed .npy files (found by fuzz/fx_npy_fuzzer) into the directory argv[1]."""
import os
import struct
import sys


def npy(header, data=bytes(48)):
    return b"\x93NUMPY\x01\x00" + struct.pack("<H", len(header)) + header + data


files = {
    "word.npy": npy(b"{'descr': '<f4', 'fortran_order': False, 'shape': (3, x), }\n"),
    "huge.npy": npy(b"{'descr': '<f4', 'fortran_order': False, "
                    b"'shape': (100000000000000, 100000000), }\n"),
    "header.npy": b"\x93NUMPY\x02\x00\xff\xff\xff\x7f{",
    # An element size whose bit count overflows an int (the error names the type).
    "wide.npy": npy(b"{'descr': '<i333333334', 'fortran_order': False, 'shape': (1,), }\n"),
    # No elements, but dims whose product overflows int64 (Fortran order computes strides).
    "empty.npy": npy(b"{'descr': '>f4', 'fortran_order': True, "
                     b"'shape': (0, 4294967296, 4294967296, 8), }\n"),
}
for name, data in files.items():
    with open(os.path.join(sys.argv[1], name), "wb") as f:
        f.write(data)
