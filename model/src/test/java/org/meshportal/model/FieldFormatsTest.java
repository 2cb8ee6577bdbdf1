package org.meshportal.model;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The hand-written format checks against the regular expressions Backstage states them with. */
class FieldFormatsTest {
  private static final Pattern OBJECT_NAME = Pattern.compile("([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]");
  private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]+(?:-+[a-z0-9]+)*");
  private static final Pattern TAG = Pattern.compile("[a-z0-9:+#]+(-[a-z0-9:+#]+)*");
  private static final String ALPHABET = "abzAZ09-_.:+#/ é";

  @Test
  void loopsAgreeWithTheRegularExpressionsOnRandomStrings() {
    Random random = new Random(42);
    for (int i = 0; i < 200_000; i++) {
      StringBuilder sb = new StringBuilder();
      int length = random.nextInt(i % 100 == 0 ? 70 : 8);
      for (int j = 0; j < length; j++) {
        sb.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
      }
      String s = sb.toString();
      boolean lengthOk = s.length() >= 1 && s.length() <= 63;
      assertEquals(lengthOk && OBJECT_NAME.matcher(s).matches(), FieldFormats.isValidObjectName(s), s);
      assertEquals(lengthOk && DNS_LABEL.matcher(s).matches(), FieldFormats.isValidDnsLabel(s), s);
      assertEquals(lengthOk && TAG.matcher(s).matches(), FieldFormats.isValidTag(s), s);
    }
  }

  @Test
  void examples() {
    assertEquals(true, FieldFormats.isValidObjectName("a"));
    assertEquals(true, FieldFormats.isValidObjectName("payment-api_v2.1"));
    assertEquals(false, FieldFormats.isValidObjectName("-a"));
    assertEquals(false, FieldFormats.isValidObjectName("a" + "b".repeat(63)));
    assertEquals(true, FieldFormats.isValidDnsLabel("a--b"));
    assertEquals(false, FieldFormats.isValidDnsLabel("A"));
    assertEquals(true, FieldFormats.isValidTag("c++"));
    assertEquals(false, FieldFormats.isValidTag("a--b"));
  }
}
