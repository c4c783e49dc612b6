// Copyright corsc developers.
//
// ASCII helpers. HTTP header names, methods and origins are ASCII; these
// functions never consult the locale.

#ifndef CORSC_ENGINE_ASCII_H_
#define CORSC_ENGINE_ASCII_H_

#include <cstddef>
#include <string_view>

namespace corsc::ascii {

constexpr char ToLower(char c) {
  // Branch-free: adds 32 to 'A'..'Z' only.
  return static_cast<char>(c + (static_cast<unsigned char>(c - 'A') < 26u ? 32 : 0));
}

constexpr bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (ToLower(a[i]) != ToLower(b[i])) return false;
  }
  return true;
}

// RFC 9110 5.6.2: tchar = "!" / "#" / "$" / "%" / "&" / "'" / "*" / "+" /
// "-" / "." / "^" / "_" / "`" / "|" / "~" / DIGIT / ALPHA. One table
// lookup per byte: Access-Control-Request-Headers is checked byte by byte
// on every preflight.
inline constexpr bool kTokenChar[256] = {
    // 0x00-0x1f: controls.
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    // 0x20-0x2f:  SP ! " # $ % & ' ( ) * + , - . /
    0, 1, 0, 1, 1, 1, 1, 1, 0, 0, 1, 1, 0, 1, 1, 0,
    // 0x30-0x3f: 0-9 : ; < = > ?
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0,
    // 0x40-0x5f: @ A-Z [ \ ] ^ _
    0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 1, 1,
    // 0x60-0x7f: ` a-z { | } ~ DEL
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 1, 0, 1, 0,
    // 0x80-0xff: not ASCII.
};

constexpr bool IsTokenChar(char c) { return kTokenChar[static_cast<unsigned char>(c)]; }

constexpr bool IsToken(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (!IsTokenChar(c)) return false;
  }
  return true;
}

// The bytes of canonical origins (corsc/origin.h): a scheme is
// [a-z][a-z0-9+.-]*, a host label [a-z0-9_-]+.
constexpr bool IsDigit(char c) { return c >= '0' && c <= '9'; }
constexpr bool IsLowerAlpha(char c) { return c >= 'a' && c <= 'z'; }
constexpr bool IsSchemeChar(char c) {
  return IsLowerAlpha(c) || IsDigit(c) || c == '+' || c == '-' || c == '.';
}
constexpr bool IsLabelChar(char c) { return IsLowerAlpha(c) || IsDigit(c) || c == '_' || c == '-'; }

// Optional white space (RFC 9110 5.6.3): spaces and horizontal tabs.
constexpr bool IsOws(char c) { return c == ' ' || c == '\t'; }

constexpr std::string_view TrimOws(std::string_view s) {
  while (!s.empty() && IsOws(s.front())) s.remove_prefix(1);
  while (!s.empty() && IsOws(s.back())) s.remove_suffix(1);
  return s;
}

}  // namespace corsc::ascii

#endif  // CORSC_ENGINE_ASCII_H_
