package org.meshportal.mesh;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.regex.Pattern;

/** Naming rules of both worlds: kcp names and paths, Backstage names and tags, and the cut-with-hash rule. */
final class Names {

  static final int MAX_NAME = 63;
  private static final Pattern WORKSPACE = Pattern.compile("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$");
  private static final Pattern PATH = Pattern.compile("^[a-z0-9]([-a-z0-9]*[a-z0-9])?(:[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$");
  private static final Pattern KUBE_NAME = Pattern.compile("^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$");
  private static final Pattern ENTITY_NAME = Pattern.compile("^[A-Za-z0-9]+(?:[-_.][A-Za-z0-9]+)*$");
  private static final Pattern TAG = Pattern.compile("^[a-z0-9:+#]+(?:-[a-z0-9:+#]+)*$");
  private static final Pattern NOT_NAME_CHARS = Pattern.compile("[^A-Za-z0-9._-]+");
  private static final Pattern SEPARATOR_RUNS = Pattern.compile("[-_.]{2,}");
  private static final Pattern NOT_TAG_CHARS = Pattern.compile("[^a-z0-9:+#]+");
  private static final Pattern DASH_RUNS = Pattern.compile("-{2,}");
  private static final Pattern EDGE_DASHES = Pattern.compile("^-+|-+$");
  private static final Pattern TRAILING_DASHES = Pattern.compile("-+$");
  private static final Pattern LABEL_VALUE = Pattern.compile("^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$");
  private static final Pattern NOT_LABEL_CHARS = Pattern.compile("[^a-z0-9-]");

  private Names() {}

  static boolean isWorkspaceName(String s) {
    return s != null && s.length() <= MAX_NAME && WORKSPACE.matcher(s).matches();
  }

  static boolean isPath(String s) {
    return s != null && PATH.matcher(s).matches();
  }

  static boolean isKubeName(String s) {
    return s != null && s.length() <= 253 && KUBE_NAME.matcher(s).matches();
  }

  static boolean isEntityName(String s) {
    return s != null && !s.isEmpty() && s.length() <= MAX_NAME && ENTITY_NAME.matcher(s).matches();
  }

  /** API entity name for an export: {@code <provider>_<export>}, cut with a hash of the full value. */
  static String apiName(String provider, String export) {
    return entityName(provider + "_" + export);
  }

  /** Any derived name: invalid characters to '-', separator runs collapsed, cut to 63 with a hash of {@code raw}. */
  static String entityName(String raw) {
    String s = NOT_NAME_CHARS.matcher(raw).replaceAll("-");
    s = strip(SEPARATOR_RUNS.matcher(s).replaceAll("-"));
    return cut(s, raw);
  }

  /** {@code root:orgs:acme:team-a} to {@code acme.team-a}; deep paths are cut with a hash of the full path. */
  static String accountGroupName(String path) {
    String rel = path.startsWith("root:orgs:") ? path.substring("root:orgs:".length()) : path;
    return cut(rel.replace(':', '.'), path);
  }

  static String cut(String s, String hashInput) {
    if (s.length() <= MAX_NAME) {
      return s.isEmpty() ? "x" : s;
    }
    return stripEnd(s.substring(0, 55)) + "-" + sha1Hex(hashInput).substring(0, 7);
  }

  /** A Backstage tag made from free text, or null when nothing usable is left. */
  static String tag(String raw) {
    if (raw == null) {
      return null;
    }
    String s = NOT_TAG_CHARS.matcher(raw.toLowerCase(Locale.ROOT)).replaceAll("-");
    s = EDGE_DASHES.matcher(DASH_RUNS.matcher(s).replaceAll("-")).replaceAll("");
    if (s.length() > MAX_NAME) {
      s = TRAILING_DASHES.matcher(s.substring(0, MAX_NAME)).replaceAll("");
    }
    return !s.isEmpty() && TAG.matcher(s).matches() ? s : null;
  }

  /** A Kubernetes-style label value: at most 63 characters, alphanumeric at both ends. */
  static boolean isLabelValue(String s) {
    return s.length() <= MAX_NAME && LABEL_VALUE.matcher(s).matches();
  }

  /** Free text as a label value's characters: lower case, anything else to '-'. */
  static String labelChars(String s) {
    return NOT_LABEL_CHARS.matcher(s.toLowerCase(Locale.ROOT)).replaceAll("-");
  }

  static String sha1Hex(String text) {
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-1");
      return HexFormat.of().formatHex(digest.digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-1 is required by every Java runtime", e);
    }
  }

  private static String strip(String s) {
    int start = 0;
    while (start < s.length() && isSeparator(s.charAt(start))) {
      start++;
    }
    return stripEnd(s.substring(start));
  }

  private static String stripEnd(String s) {
    int end = s.length();
    while (end > 0 && isSeparator(s.charAt(end - 1))) {
      end--;
    }
    return s.substring(0, end);
  }

  private static boolean isSeparator(char c) {
    return c == '-' || c == '_' || c == '.';
  }
}
