//===- Npy.cpp - NumPy .npy files -----------------------------------------===//
#include "fxmlir/Runtime/Npy.h"
#include "fxmlir/Runtime/Memory.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>

namespace fxmlir {

namespace {
struct NpyType {
  DType dtype;
  const char *descr;
  int size;
};
const NpyType kTypes[] = {{DType::Bool, "|b1", 1}, {DType::U8, "|u1", 1},  {DType::I8, "|i1", 1},
                          {DType::I16, "<i2", 2},  {DType::I32, "<i4", 4}, {DType::I64, "<i8", 8},
                          {DType::F16, "<f2", 2},  {DType::F32, "<f4", 4}, {DType::F64, "<f8", 8}};

double halfToDouble(uint16_t h) {
  int sign = h >> 15, exp = (h >> 10) & 0x1F, mant = h & 0x3FF;
  double v = exp == 0 ? std::ldexp(mant, -24)
             : exp == 31 ? (mant ? NAN : INFINITY)
                         : std::ldexp(mant + 1024, exp - 25);
  return sign ? -v : v;
}

uint16_t doubleToHalf(double d) {
  float f = (float)d;
  uint32_t x;
  std::memcpy(&x, &f, 4);
  uint32_t sign = (x >> 16) & 0x8000;
  int exp = (int)((x >> 23) & 0xFF) - 127 + 15;
  uint32_t mant = x & 0x7FFFFF;
  if (((x >> 23) & 0xFF) == 0xFF)
    return sign | 0x7C00 | (mant ? 0x200 : 0);
  if (exp >= 31)
    return sign | 0x7C00;
  if (exp <= 0) {
    if (exp < -10)
      return sign;
    mant |= 0x800000;
    return sign | (uint16_t)((mant >> (14 - exp)) + ((mant >> (13 - exp)) & 1));
  }
  return sign | (uint16_t)((exp << 10) | (mant >> 13)) + ((mant >> 12) & 1);
}
/// The bytes from the read position to the end of the file.
int64_t bytesLeft(std::ifstream &in) {
  std::streampos here = in.tellg();
  in.seekg(0, std::ios::end);
  int64_t left = in.tellg() - here;
  in.seekg(here);
  return left;
}

/// One dimension of a header's shape; an OpError for anything but a non-negative integer.
int64_t parseDim(const std::string &text, const std::string &path) {
  size_t begin = text.find_first_not_of(' '), end = text.find_last_not_of(' ') + 1;
  std::string digits = text.substr(begin, end - begin);
  if (digits.empty() || digits.size() > 18 || digits.find_first_not_of("0123456789") != digits.npos)
    throw OpError("'" + path + "': bad shape dimension '" + digits + "'");
  return std::stoll(digits);
}

/// The element count of `shape`, checked against the `available` bytes of data before anything
/// is allocated: a header promising more than the file holds is a truncated file.
int64_t elementsInFile(const Shape &shape, int64_t elementSize, int64_t available,
                       const std::string &path) {
  int64_t n = 1, fits = available / elementSize;
  for (int64_t d : shape)
    if (d == 0)
      return 0;
  for (int64_t d : shape) {
    if (n > fits / d)
      throw OpError("'" + path + "': truncated data (shape " + shapeToString(shape) + ", " +
                    std::to_string(available) + " bytes of data)");
    n *= d;
  }
  return n;
}

/// numpy's name of a dtype descriptor such as '<c8' (complex64), for errors.
std::string numpyTypeName(const std::string &descr) {
  static const struct {
    char kind;
    const char *name;
  } kinds[] = {{'b', "bool"},    {'i', "int"},        {'u', "uint"},       {'f', "float"},
               {'c', "complex"}, {'U', "str"},        {'S', "bytes"},      {'O', "object"},
               {'V', "void"},    {'M', "datetime64"}, {'m', "timedelta64"}};
  for (auto &k : kinds)
    if (descr.size() > 1 && descr[1] == k.kind) {
      std::string name = k.name;
      int bytes = std::atoi(descr.c_str() + 2);
      if (std::string("iufc").find(k.kind) != std::string::npos && bytes > 0)
        name += std::to_string(int64_t(bytes) * 8);
      return name + " ('" + descr + "')";
    }
  return "'" + descr + "'";
}

/// How the data of a .npy file is laid out, from its header.
struct NpyLayout {
  const NpyType *type = nullptr;
  bool swapBytes = false;    // big endian data on this little-endian host, or the reverse
  bool fortranOrder = false; // column-major
  Shape shape;
};

/// Parses the header numpy writes: {'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }.
NpyLayout parseHeader(const std::string &header, const std::string &path) {
  auto field = [&](const std::string &key) {
    size_t p = header.find("'" + key + "'");
    if (p == std::string::npos)
      throw OpError("'" + path + "': header has no '" + key + "'");
    std::string value = header.substr(header.find(':', p) + 1);
    return value.substr(std::min(value.size(), value.find_first_not_of(' ')));
  };
  NpyLayout layout;
  std::string descr = field("descr");
  descr = descr.substr(descr.find('\'') + 1);
  descr = descr.substr(0, descr.find('\''));
  for (const NpyType &t : kTypes)
    if (descr.size() > 1 && descr.substr(1) == t.descr + 1)
      layout.type = &t;
  if (!layout.type || std::string("<>|=").find(descr[0]) == std::string::npos)
    throw OpError("'" + path + "': numpy dtype " + numpyTypeName(descr) +
                  " is not supported (bool, uint8, int8, int16, int32, int64, float16, float32 "
                  "and float64 are)");
  const uint16_t one = 1;
  bool littleEndianHost = *(const unsigned char *)&one == 1;
  layout.swapBytes = layout.type->size > 1 && descr[0] == (littleEndianHost ? '>' : '<');
  layout.fortranOrder = field("fortran_order").rfind("True", 0) == 0;
  std::string shapeText = field("shape");
  shapeText =
      shapeText.substr(shapeText.find('(') + 1, shapeText.find(')') - shapeText.find('(') - 1);
  std::stringstream ss(shapeText);
  std::string tok;
  while (std::getline(ss, tok, ','))
    if (tok.find_first_not_of(" ") != std::string::npos)
      layout.shape.push_back(parseDim(tok, path));
  return layout;
}

/// Puts `raw` (elements of `size` bytes as the file stores them) in native byte order and
/// row-major order.
void toNativeRowMajor(std::vector<char> &raw, const NpyLayout &layout) {
  size_t size = layout.type->size, n = raw.size() / size;
  if (layout.swapBytes)
    for (size_t i = 0; i < n; ++i)
      std::reverse(raw.begin() + i * size, raw.begin() + (i + 1) * size);
  if (!layout.fortranOrder || layout.shape.size() < 2)
    return;
  // The i-th element in column-major order goes to its row-major position.
  const Shape &shape = layout.shape;
  Shape strides = contiguousStrides(shape), index(shape.size(), 0);
  std::vector<char> rowMajor(raw.size());
  int64_t offset = 0;
  for (size_t i = 0; i < n; ++i) {
    std::memcpy(rowMajor.data() + offset * size, raw.data() + i * size, size);
    for (size_t d = 0; d < shape.size(); ++d) { // advance the first dimension fastest
      offset += strides[d];
      if (++index[d] < shape[d])
        break;
      offset -= strides[d] * shape[d];
      index[d] = 0;
    }
  }
  raw = std::move(rowMajor);
}

/// One element in native byte order as the tensor stores it.
Element decodeElement(const char *p, DType dtype) {
  switch (dtype) {
  case DType::Bool: return *p != 0;
  case DType::U8: return (uint8_t)*p;
  case DType::I8: return (int8_t)*p;
  case DType::I16: { int16_t v; std::memcpy(&v, p, 2); return v; }
  case DType::I32: { int32_t v; std::memcpy(&v, p, 4); return v; }
  case DType::I64: { int64_t v; std::memcpy(&v, p, 8); return v; }
  case DType::F16: { uint16_t v; std::memcpy(&v, p, 2); return halfToDouble(v); }
  case DType::F32: { float v; std::memcpy(&v, p, 4); return v; }
  case DType::F64: { double v; std::memcpy(&v, p, 8); return v; }
  default: return 0;
  }
}
} // namespace

Tensor readNpy(const std::string &path) {
  std::ifstream in(path, std::ios::binary);
  if (!in)
    throw OpError("cannot open '" + path + "'");
  char magic[8];
  if (!in.read(magic, 8) || std::memcmp(magic, "\x93NUMPY", 6) != 0)
    throw OpError("'" + path + "' is not a .npy file");
  uint32_t headerLen = 0;
  unsigned char lenBytes[4] = {0, 0, 0, 0};
  if (magic[6] == 1) {
    in.read((char *)lenBytes, 2);
    headerLen = lenBytes[0] | (lenBytes[1] << 8);
  } else {
    in.read((char *)lenBytes, 4);
    headerLen = lenBytes[0] | (lenBytes[1] << 8) | (lenBytes[2] << 16) | (lenBytes[3] << 24);
  }
  if (headerLen > bytesLeft(in))
    throw OpError("'" + path + "': truncated header");
  std::string header(headerLen, '\0');
  if (!in.read(header.data(), headerLen))
    throw OpError("'" + path + "': truncated header");
  NpyLayout layout = parseHeader(header, path);
  const NpyType *type = layout.type;
  int64_t n = elementsInFile(layout.shape, type->size, bytesLeft(in), path);
  checkedNumElements(layout.shape, type->dtype, type->size + sizeof(Element));
  std::vector<char> raw(n * type->size);
  if (!in.read(raw.data(), raw.size()))
    throw OpError("'" + path + "': truncated data (" + std::to_string(n) + " elements expected)");
  toNativeRowMajor(raw, layout);
  std::vector<Element> data(n);
  for (int64_t i = 0; i < n; ++i)
    data[i] = decodeElement(raw.data() + i * type->size, type->dtype);
  return Tensor(layout.shape, type->dtype, std::move(data));
}

void writeNpy(const std::string &path, const Tensor &t) {
  const NpyType *type = nullptr;
  for (const NpyType &k : kTypes)
    if (k.dtype == t.dtype())
      type = &k;
  DType dtype = t.dtype();
  if (!type) { // bfloat16 has no NumPy type: write float32
    type = &kTypes[7];
    dtype = DType::F32;
  }
  std::ostringstream header;
  header << "{'descr': '" << type->descr << "', 'fortran_order': False, 'shape': (";
  for (size_t i = 0; i < t.shape().size(); ++i)
    header << t.shape()[i] << (t.shape().size() == 1 || i + 1 < t.shape().size() ? ", " : "");
  header << "), }";
  std::string h = header.str();
  size_t total = 10 + h.size() + 1;
  h.append((64 - total % 64) % 64, ' ');
  h.push_back('\n');
  std::ofstream out(path, std::ios::binary);
  if (!out)
    throw OpError("cannot write '" + path + "'");
  out.write("\x93NUMPY\x01\x00", 8);
  uint16_t len = (uint16_t)h.size();
  char lenBytes[2] = {(char)(len & 0xFF), (char)(len >> 8)};
  out.write(lenBytes, 2);
  out.write(h.data(), h.size());
  for (int64_t i = 0; i < t.numel(); ++i) {
    Element v = t[i];
    char buf[8];
    switch (dtype) {
    case DType::Bool: case DType::U8: buf[0] = (char)(uint8_t)v; break;
    case DType::I8: buf[0] = (char)(int8_t)v; break;
    case DType::I16: { int16_t x = (int16_t)v; std::memcpy(buf, &x, 2); break; }
    case DType::I32: { int32_t x = (int32_t)v; std::memcpy(buf, &x, 4); break; }
    case DType::I64: { int64_t x = (int64_t)v; std::memcpy(buf, &x, 8); break; }
    case DType::F16: { uint16_t x = doubleToHalf((double)v); std::memcpy(buf, &x, 2); break; }
    case DType::F32: { float x = (float)v; std::memcpy(buf, &x, 4); break; }
    default: { double x = (double)v; std::memcpy(buf, &x, 8); break; }
    }
    out.write(buf, type->size);
  }
}

} // namespace fxmlir
