//===- LibrarySignature.h - The trailer of libraries from fx-compile -*- C++ -*-===//
//
// fx-compile appends a 24-byte trailer to every shared library it links: the magic
// "FXLIB\0\0\1" (format 1), the size of the ELF image before it and a 64-bit hash of that
// image, both little endian. dlopen maps the segments the ELF headers declare and never reads
// the bytes after the image. The runners check the trailer before dlopen: a library that was
// truncated, corrupted on the way or not written by fx-compile is refused with an error,
// instead of being mapped and crashing (a SIGBUS on a page past the end of a short copy).
// The hash detects corruption, not tampering: it is not a cryptographic signature.
//
//===----------------------------------------------------------------------===//
#ifndef FXMLIR_RUNTIME_LIBRARYSIGNATURE_H
#define FXMLIR_RUNTIME_LIBRARYSIGNATURE_H

#include <string>

namespace fxmlir {

/// Appends the trailer to the library at `path`; throws OpError if it cannot.
void signLibrary(const std::string &path);

/// Throws OpError unless the file at `path` ends with a trailer whose size and hash match
/// the bytes before it.
void checkLibrarySignature(const std::string &path);

} // namespace fxmlir

#endif
