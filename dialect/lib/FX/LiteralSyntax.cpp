//===- LiteralSyntax.cpp - Printing and parsing node arguments ------------===//
#include "fxmlir/Dialect/FX/LiteralSyntax.h"
#include "fxmlir/Dialect/FX/FXAttrs.h"

#include "mlir/IR/Builders.h"
#include "llvm/ADT/StringExtras.h"

#include <cmath>
#include <cstdio>
#include <cstdlib>

using namespace mlir;
using namespace mlir::fx;

std::string mlir::fx::formatPythonFloat(double value) {
  if (std::isnan(value))
    return "nan";
  if (std::isinf(value))
    return value < 0 ? "-inf" : "inf";
  // Shortest round-tripping digits, then Python's layout: scientific below 1e-4 or from 1e16.
  char digits[64];
  int precision = 1;
  for (; precision <= 17; ++precision) {
    std::snprintf(digits, sizeof(digits), "%.*e", precision - 1, value);
    if (std::strtod(digits, nullptr) == value)
      break;
  }
  std::string sci = digits; // d.ddde[+-]XX
  size_t ePos = sci.find('e');
  int exponent = std::atoi(sci.c_str() + ePos + 1);
  std::string mantissa = sci.substr(0, ePos);
  bool negative = mantissa[0] == '-';
  if (negative)
    mantissa.erase(0, 1);
  std::string digitsOnly;
  for (char c : mantissa)
    if (c != '.')
      digitsOnly.push_back(c);
  std::string out;
  if (exponent < -4 || exponent >= 16) {
    out = digitsOnly.substr(0, 1);
    if (digitsOnly.size() > 1)
      out += "." + digitsOnly.substr(1);
    char exp[16];
    std::snprintf(exp, sizeof(exp), "e%c%02d", exponent < 0 ? '-' : '+', std::abs(exponent));
    out += exp;
  } else if (exponent < 0) {
    out = "0." + std::string(-exponent - 1, '0') + digitsOnly;
  } else {
    int intDigits = exponent + 1;
    if ((int)digitsOnly.size() <= intDigits) {
      out = digitsOnly + std::string(intDigits - digitsOnly.size(), '0') + ".0";
    } else {
      out = digitsOnly.substr(0, intDigits) + "." + digitsOnly.substr(intDigits);
    }
  }
  return negative ? "-" + out : out;
}

/// The Mlir style needs a '.' in the mantissa for MLIR's lexer to see a float (`1.0e-05`).
static std::string formatMlirFloat(double value) {
  std::string s = formatPythonFloat(value);
  size_t e = s.find('e');
  if (e != std::string::npos && s.find('.') == std::string::npos)
    s.insert(e, ".0");
  return s;
}

static bool isBareQualifiedName(StringRef name) {
  if (name.empty() || !name.contains('.') || llvm::isDigit(name.front()))
    return false;
  return llvm::all_of(name, [](char c) { return llvm::isAlnum(c) || c == '_' || c == '.'; });
}

static void printQuoted(raw_ostream &os, StringRef s, LiteralStyle style) {
  if (style == LiteralStyle::Mlir) {
    os << '"';
    llvm::printEscapedString(s, os);
    os << '"';
    return;
  }
  // Python's repr: single quotes unless the string holds one and no double quote.
  char quote = (s.contains('\'') && !s.contains('"')) ? '"' : '\'';
  os << quote;
  for (char c : s) {
    if (c == quote || c == '\\')
      os << '\\' << c;
    else if (c == '\n')
      os << "\\n";
    else if (c == '\t')
      os << "\\t";
    else
      os << c;
  }
  os << quote;
}

namespace {
struct LiteralPrinter {
  raw_ostream &os;
  LiteralStyle style;
  OperandPrinter printOperand;
  unsigned &next;

  void printSequence(ArrayAttr elements, char open, char close, bool oneTupleComma) {
    os << open;
    llvm::interleaveComma(elements, os, [&](Attribute e) { print(e); });
    if (oneTupleComma && elements.size() == 1)
      os << ',';
    os << close;
  }

  void print(Attribute attr) {
    // Inside containers torch.fx's _format_arg still str()s leaves; Python containers repr them.
    if (auto ref = dyn_cast<OperandRefAttr>(attr)) {
      printOperand(os, next++, style);
    } else if (auto b = dyn_cast<BoolAttr>(attr)) {
      os << (b.getValue() ? "True" : "False");
    } else if (auto i = dyn_cast<IntegerAttr>(attr)) {
      os << i.getValue().getSExtValue();
    } else if (auto f = dyn_cast<FloatAttr>(attr)) {
      double v = f.getValueAsDouble();
      os << (style == LiteralStyle::Mlir ? formatMlirFloat(v) : formatPythonFloat(v));
    } else if (auto s = dyn_cast<StringAttr>(attr)) {
      if (style == LiteralStyle::FxFormatArg)
        os << s.getValue();
      else
        printQuoted(os, s.getValue(), style);
    } else if (isa<NoneAttr>(attr)) {
      os << "None";
    } else if (isa<EllipsisAttr>(attr)) {
      os << (style == LiteralStyle::Mlir ? "..." : "Ellipsis");
    } else if (auto d = dyn_cast<DTypeAttr>(attr)) {
      os << "torch." << d.getName();
    } else if (auto d = dyn_cast<DeviceAttr>(attr)) {
      printDevice(d.getSpec());
    } else if (auto q = dyn_cast<QualNameAttr>(attr)) {
      if (style != LiteralStyle::Mlir || isBareQualifiedName(q.getName())) {
        os << q.getName();
      } else {
        os << "qualname(";
        printQuoted(os, q.getName(), style);
        os << ')';
      }
    } else if (auto s = dyn_cast<SliceAttr>(attr)) {
      // str(slice) repr()s its parts, so graph text switches to repr inside a slice.
      LiteralStyle outer = style;
      if (style == LiteralStyle::FxFormatArg)
        style = LiteralStyle::PythonRepr;
      os << "slice(";
      print(s.getStart());
      os << ", ";
      print(s.getStop());
      os << ", ";
      print(s.getStep());
      os << ')';
      style = outer;
    } else if (auto t = dyn_cast<TupleAttr>(attr)) {
      printSequence(t.getElements(), '(', ')', /*oneTupleComma=*/true);
    } else if (auto a = dyn_cast<ArrayAttr>(attr)) {
      printSequence(a, '[', ']', false);
    } else if (auto d = dyn_cast<DictAttr>(attr)) {
      os << '{';
      llvm::interleaveComma(llvm::zip(d.getKeys(), d.getValues()), os, [&](auto kv) {
        print(std::get<0>(kv));
        os << ": ";
        print(std::get<1>(kv));
      });
      os << '}';
    } else {
      os << "<<unknown literal " << attr << ">>";
    }
  }

  void printDevice(StringRef spec) {
    switch (style) {
    case LiteralStyle::Mlir:
      os << "device(";
      printQuoted(os, spec, style);
      os << ')';
      return;
    case LiteralStyle::FxFormatArg:
      os << spec;
      return;
    case LiteralStyle::PythonRepr: {
      auto [type, index] = spec.split(':');
      os << "device(type='" << type << "'";
      if (!index.empty())
        os << ", index=" << index;
      os << ')';
      return;
    }
    }
  }
};
} // namespace

void mlir::fx::printLiteral(raw_ostream &os, Attribute literal, LiteralStyle style,
                            OperandPrinter printOperand, unsigned &nextOperand) {
  LiteralPrinter{os, style, printOperand, nextOperand}.print(literal);
}

//===----------------------------------------------------------------------===//
// Parsing (Mlir style)
//===----------------------------------------------------------------------===//

namespace {
struct LiteralParser {
  OpAsmParser &parser;
  SmallVectorImpl<OpAsmParser::UnresolvedOperand> &operands;
  Builder b{parser.getContext()};

  Attribute floatAttr(double v) { return b.getF64FloatAttr(v); }

  ParseResult parseElements(SmallVectorImpl<Attribute> &elements, AsmParser::Delimiter delim,
                            bool *trailingComma = nullptr) {
    // Parses `a, b, c` up to the closing delimiter, allowing the trailing comma of `(a,)`.
    auto closing = [&]() -> ParseResult {
      switch (delim) {
      case AsmParser::Delimiter::Paren:
        return parser.parseOptionalRParen();
      case AsmParser::Delimiter::Square:
        return parser.parseOptionalRSquare();
      default:
        return parser.parseOptionalRBrace();
      }
    };
    if (succeeded(closing()))
      return success();
    while (true) {
      Attribute e;
      if (parse(e))
        return failure();
      elements.push_back(e);
      if (succeeded(closing()))
        return success();
      if (parser.parseComma())
        return failure();
      if (succeeded(closing())) {
        if (trailingComma)
          *trailingComma = true;
        return success();
      }
    }
  }

  ParseResult parseNumber(Attribute &result, bool negative) {
    APInt intValue;
    OptionalParseResult isInt = parser.parseOptionalInteger(intValue);
    if (isInt.has_value()) {
      if (failed(*isInt))
        return failure();
      if (intValue.getActiveBits() > 63)
        return parser.emitError(parser.getCurrentLocation(), "integer literal out of range");
      int64_t v = intValue.getSExtValue();
      result = b.getI64IntegerAttr(negative ? -v : v);
      return success();
    }
    if (succeeded(parser.parseOptionalKeyword("inf"))) {
      result = floatAttr(negative ? -INFINITY : INFINITY);
      return success();
    }
    if (succeeded(parser.parseOptionalKeyword("nan"))) {
      result = floatAttr(NAN);
      return success();
    }
    double v;
    if (parser.parseFloat(v))
      return failure();
    result = floatAttr(negative ? -v : v);
    return success();
  }

  ParseResult parseStringArg(std::string &s) {
    if (parser.parseLParen() || parser.parseString(&s) || parser.parseRParen())
      return failure();
    return success();
  }

  ParseResult parse(Attribute &result) {
    MLIRContext *ctx = parser.getContext();
    OpAsmParser::UnresolvedOperand operand;
    OptionalParseResult isOperand = parser.parseOptionalOperand(operand);
    if (isOperand.has_value()) {
      if (failed(*isOperand))
        return failure();
      operands.push_back(operand);
      result = OperandRefAttr::get(ctx);
      return success();
    }
    if (succeeded(parser.parseOptionalLParen())) {
      SmallVector<Attribute> elements;
      if (parseElements(elements, AsmParser::Delimiter::Paren))
        return failure();
      result = TupleAttr::get(ctx, b.getArrayAttr(elements));
      return success();
    }
    if (succeeded(parser.parseOptionalLSquare())) {
      SmallVector<Attribute> elements;
      if (parseElements(elements, AsmParser::Delimiter::Square))
        return failure();
      result = b.getArrayAttr(elements);
      return success();
    }
    if (succeeded(parser.parseOptionalLBrace())) {
      SmallVector<Attribute> keys, values;
      auto parseEntry = [&]() -> ParseResult {
        Attribute k, v;
        if (parse(k) || parser.parseColon() || parse(v))
          return failure();
        keys.push_back(k);
        values.push_back(v);
        return success();
      };
      if (failed(parser.parseOptionalRBrace())) {
        if (parser.parseCommaSeparatedList(parseEntry) || parser.parseRBrace())
          return failure();
      }
      for (Attribute k : keys)
        if (countOperandRefs(k))
          return parser.emitError(parser.getCurrentLocation(),
                                  "Keys for dictionaries used as an argument cannot contain a "
                                  "Node");
      result = DictAttr::get(ctx, b.getArrayAttr(keys), b.getArrayAttr(values));
      return success();
    }
    if (succeeded(parser.parseOptionalEllipsis())) {
      result = EllipsisAttr::get(ctx);
      return success();
    }
    if (succeeded(parser.parseOptionalMinus()))
      return parseNumber(result, /*negative=*/true);
    std::string str;
    if (succeeded(parser.parseOptionalString(&str))) {
      result = b.getStringAttr(str);
      return success();
    }
    StringRef keyword;
    llvm::SMLoc loc = parser.getCurrentLocation();
    if (succeeded(parser.parseOptionalKeyword(&keyword)))
      return parseKeyword(keyword, loc, result);
    return parseNumber(result, /*negative=*/false);
  }

  ParseResult parseKeyword(StringRef keyword, llvm::SMLoc loc, Attribute &result) {
    MLIRContext *ctx = parser.getContext();
    if (keyword == "None") {
      result = NoneAttr::get(ctx);
    } else if (keyword == "True" || keyword == "False") {
      result = b.getBoolAttr(keyword == "True");
    } else if (keyword == "inf") {
      result = floatAttr(INFINITY);
    } else if (keyword == "nan") {
      result = floatAttr(NAN);
    } else if (keyword == "slice") {
      Attribute start, stop, step;
      if (parser.parseLParen() || parse(start) || parser.parseComma() || parse(stop) ||
          parser.parseComma() || parse(step) || parser.parseRParen())
        return failure();
      result = SliceAttr::get(ctx, start, stop, step);
    } else if (keyword == "device") {
      std::string spec;
      if (parseStringArg(spec))
        return failure();
      result = DeviceAttr::get(ctx, spec);
    } else if (keyword == "qualname") {
      std::string name;
      if (parseStringArg(name))
        return failure();
      result = QualNameAttr::get(ctx, name);
    } else if (keyword.starts_with("torch.") && isKnownDType(keyword.drop_front(6))) {
      result = DTypeAttr::get(ctx, keyword.drop_front(6));
    } else if (keyword.contains('.')) {
      result = QualNameAttr::get(ctx, keyword);
    } else {
      return parser.emitError(loc, "unexpected '")
             << keyword
             << "' in a node argument; expected a value, a literal (int, float, str, True, "
                "False, None, ..., torch.<dtype>, device(\"...\"), slice(...)) or a "
                "tuple/list/dict";
    }
    return success();
  }
};
} // namespace

ParseResult mlir::fx::parseLiteral(OpAsmParser &parser, Attribute &literal,
                                   SmallVectorImpl<OpAsmParser::UnresolvedOperand> &operands) {
  return LiteralParser{parser, operands}.parse(literal);
}

ParseResult mlir::fx::parseArgumentList(OpAsmParser &parser, ArrayAttr &args,
                                        Attribute &kwargs,
                                        SmallVectorImpl<OpAsmParser::UnresolvedOperand> &operands) {
  MLIRContext *ctx = parser.getContext();
  Builder b(ctx);
  SmallVector<Attribute> positional, keys, values;
  LiteralParser literals{parser, operands};
  auto parseOne = [&]() -> ParseResult {
    // `name = value` is a keyword argument; anything else is positional.
    StringRef name;
    llvm::SMLoc loc = parser.getCurrentLocation();
    if (succeeded(parser.parseOptionalKeyword(&name))) {
      if (succeeded(parser.parseOptionalEqual())) {
        Attribute v;
        if (literals.parse(v))
          return failure();
        keys.push_back(b.getStringAttr(name));
        values.push_back(v);
        return success();
      }
      if (!keys.empty())
        return parser.emitError(loc, "positional argument follows keyword argument");
      Attribute v;
      if (literals.parseKeyword(name, loc, v))
        return failure();
      positional.push_back(v);
      return success();
    }
    if (!keys.empty())
      return parser.emitError(loc, "positional argument follows keyword argument");
    Attribute v;
    if (literals.parse(v))
      return failure();
    positional.push_back(v);
    return success();
  };
  if (parser.parseCommaSeparatedList(AsmParser::Delimiter::Paren, parseOne))
    return failure();
  args = b.getArrayAttr(positional);
  kwargs = DictAttr::get(ctx, b.getArrayAttr(keys), b.getArrayAttr(values));
  return success();
}

void mlir::fx::printArgumentList(OpAsmPrinter &printer, ArrayAttr args, Attribute kwargsAttr,
                                 ValueRange operands) {
  raw_ostream &os = printer.getStream();
  unsigned next = 0;
  auto printOperand = [&](raw_ostream &, unsigned i, LiteralStyle) {
    if (i < operands.size())
      printer.printOperand(operands[i]);
    else
      os << "<<missing operand " << i << ">>";
  };
  os << '(';
  bool first = true;
  for (Attribute a : args) {
    if (!first)
      os << ", ";
    first = false;
    printLiteral(os, a, LiteralStyle::Mlir, printOperand, next);
  }
  if (auto kwargs = dyn_cast_or_null<DictAttr>(kwargsAttr)) {
    for (auto [k, v] : llvm::zip(kwargs.getKeys(), kwargs.getValues())) {
      if (!first)
        os << ", ";
      first = false;
      os << cast<StringAttr>(k).getValue() << " = ";
      printLiteral(os, v, LiteralStyle::Mlir, printOperand, next);
    }
  }
  os << ')';
}
