package org.meshportal.model;

import java.util.regex.Pattern;

/**
 * Backstage's field-format predicates (catalog-model {@code KubernetesValidatorFunctions} and
 * {@code CommonValidatorFunctions}) and the "is not valid" message of its FieldFormatEntityPolicy.
 */
final class FieldFormats {
  static final String FORMAT_DOC_LINK =
      "https://github.com/backstage/backstage/blob/master/docs/architecture-decisions/adr002-default-catalog-file-format.md";

  static final String EXPECT_OBJECT_NAME =
      "a string that is sequences of [a-zA-Z0-9] separated by any of [-_.], at most 63 characters in total";
  static final String EXPECT_PREFIX_SUFFIX = "a valid prefix and/or suffix";
  static final String EXPECT_DNS_LABEL =
      "a string that is sequences of [a-z0-9] separated by [-], at most 63 characters in total";
  static final String EXPECT_TAG =
      "a string that is sequences of [a-z0-9+#] separated by [-], at most 63 characters in total";
  static final String EXPECT_KIND =
      "a string that is a sequence of [a-zA-Z][a-z0-9A-Z], at most 63 characters in total";
  static final String EXPECT_URL = "a string that is a valid url";
  static final String EXPECT_NON_EMPTY = "a non empty string";

  private static final Pattern API_VERSION_SUFFIX = Pattern.compile("[a-z0-9A-Z]+");
  private static final Pattern KIND = Pattern.compile("[a-zA-Z][a-z0-9A-Z]*");
  private static final Pattern URL_SCHEME = Pattern.compile("([a-zA-Z][a-zA-Z0-9+.-]*):(.*)", Pattern.DOTALL);
  private static final Pattern SPECIAL_SCHEME = Pattern.compile("(?i)https?|wss?|ftp|file");
  private static final Pattern FORBIDDEN_HOST_CHARS = Pattern.compile(".*[\\s<>^|%\\[\\]].*");

  private FieldFormats() {}

  static boolean isValidApiVersion(String value) {
    String[] parts = value.split("/", -1);
    if (parts.length == 1) {
      return isValidApiVersionSuffix(parts[0]);
    }
    return parts.length == 2 && isValidDnsSubdomain(parts[0]) && isValidApiVersionSuffix(parts[1]);
  }

  private static boolean isValidApiVersionSuffix(String s) {
    return s.length() >= 1 && s.length() <= 63 && API_VERSION_SUFFIX.matcher(s).matches();
  }

  static boolean isValidKind(String value) {
    return value.length() >= 1 && value.length() <= 63 && KIND.matcher(value).matches();
  }

  static boolean isValidObjectName(String value) {
    // ([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9], as a loop: names, keys and tags are checked for
    // every entity, and a regex matcher per check was a noticeable share of a bulk ingest
    int n = value.length();
    if (n < 1 || n > 63 || !isAlnum(value.charAt(0)) || !isAlnum(value.charAt(n - 1))) {
      return false;
    }
    for (int i = 1; i < n - 1; i++) {
      char c = value.charAt(i);
      if (!isAlnum(c) && c != '-' && c != '_' && c != '.') {
        return false;
      }
    }
    return true;
  }

  static boolean isValidDnsLabel(String value) {
    // [a-z0-9]+(?:-+[a-z0-9]+)*
    int n = value.length();
    if (n < 1 || n > 63 || value.charAt(0) == '-' || value.charAt(n - 1) == '-') {
      return false;
    }
    for (int i = 0; i < n; i++) {
      char c = value.charAt(i);
      if (!isLowerAlnum(c) && c != '-') {
        return false;
      }
    }
    return true;
  }

  static boolean isValidDnsSubdomain(String value) {
    if (value.isEmpty() || value.length() > 253) {
      return false;
    }
    for (String label : value.split("\\.", -1)) {
      if (!isValidDnsLabel(label)) {
        return false;
      }
    }
    return true;
  }

  /** Label and annotation keys: {@code [<dns-subdomain>/]<object-name>}. */
  static boolean isValidPrefixedKey(String value) {
    String[] parts = value.split("/", -1);
    if (parts.length == 1) {
      return isValidObjectName(parts[0]);
    }
    return parts.length == 2 && isValidDnsSubdomain(parts[0]) && isValidObjectName(parts[1]);
  }

  static boolean isValidLabelValue(String value) {
    return value.isEmpty() || isValidObjectName(value);
  }

  static boolean isValidTag(String value) {
    // [a-z0-9:+#]+(-[a-z0-9:+#]+)*: single dashes between non-empty runs
    int n = value.length();
    if (n < 1 || n > 63) {
      return false;
    }
    boolean afterDash = true;
    for (int i = 0; i < n; i++) {
      char c = value.charAt(i);
      if (c == '-') {
        if (afterDash) {
          return false;
        }
        afterDash = true;
      } else if (isLowerAlnum(c) || c == ':' || c == '+' || c == '#') {
        afterDash = false;
      } else {
        return false;
      }
    }
    return !afterDash;
  }

  /**
   * Approximates WHATWG {@code new URL(value)} for absolute URLs: a scheme is required, and the
   * schemes with an authority (http, https, ws, wss, ftp) need a plausible host.
   */
  static boolean isValidUrl(String value) {
    String trimmed = value.strip();
    var m = URL_SCHEME.matcher(trimmed);
    if (!m.matches()) {
      return false;
    }
    if (!SPECIAL_SCHEME.matcher(m.group(1)).matches()) {
      return true;
    }
    String rest = m.group(2).replaceFirst("^[/\\\\]*", "");
    int end = rest.length();
    for (char c : new char[] {'/', '\\', '?', '#'}) {
      int i = rest.indexOf(c);
      if (i >= 0 && i < end) {
        end = i;
      }
    }
    String authority = rest.substring(0, end);
    String host = authority.substring(authority.lastIndexOf('@') + 1);
    if (m.group(1).equalsIgnoreCase("file")) {
      return !FORBIDDEN_HOST_CHARS.matcher(host).matches();
    }
    if (host.startsWith("[")) {
      return host.contains("]");
    }
    int colon = host.lastIndexOf(':');
    String hostname = colon >= 0 ? host.substring(0, colon) : host;
    String port = colon >= 0 ? host.substring(colon + 1) : "";
    return !hostname.isEmpty()
        && !FORBIDDEN_HOST_CHARS.matcher(hostname).matches()
        && port.chars().allMatch(Character::isDigit)
        && port.length() <= 5;
  }

  static boolean isNonEmptyString(String value) {
    return !value.strip().isEmpty();
  }

  /** Backstage's FieldFormatEntityPolicy message for a value that failed its predicate. */
  static SchemaViolation notValid(String field, String expectation, String found) {
    return SchemaViolation.error("\"" + field + "\" is not valid; expected " + expectation + " but found \""
        + found + "\". To learn more about catalog file format, visit: " + FORMAT_DOC_LINK);
  }

  private static boolean isLowerAlnum(char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
  }

  private static boolean isAlnum(char c) {
    return isLowerAlnum(c) || (c >= 'A' && c <= 'Z');
  }
}
