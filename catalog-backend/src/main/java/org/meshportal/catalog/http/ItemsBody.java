package org.meshportal.catalog.http;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;

/**
 * A response body made of pre-serialised entities: {@code head + [item,item,...] + tail}, with
 * null items written as {@code null}. Knows its size before it is written, so the plain form is
 * one exactly sized array and the gzip form streams straight from the items.
 */
final class ItemsBody {
  private static final byte[] NULL = {'n', 'u', 'l', 'l'};
  /** Level 1 keeps most of the size win of gzip for a fraction of the CPU of the default 6. */
  private static final int GZIP_LEVEL = Deflater.BEST_SPEED;

  private final byte[] head;
  private final List<byte[]> items;
  private final byte[] tail;
  /** Computed on first use: it reads every item's length, a memory access per item a reused body avoids. */
  private int size = -1;

  ItemsBody(byte[] head, List<byte[]> items, byte[] tail) {
    this.head = head;
    this.items = items;
    this.tail = tail;
  }

  byte[] head() {
    return head;
  }

  List<byte[]> items() {
    return items;
  }

  byte[] tail() {
    return tail;
  }

  int size() {
    if (size < 0) {
      long total = (long) head.length + tail.length + 2 + Math.max(0, items.size() - 1);
      for (byte[] item : items) {
        total += item == null ? NULL.length : item.length;
      }
      if (total > Integer.MAX_VALUE - 16) {
        throw new IllegalStateException("response body too large: " + total + " bytes");
      }
      size = (int) total;
    }
    return size;
  }

  byte[] plain() {
    byte[] out = new byte[size()];
    int at = put(out, 0, head);
    out[at++] = '[';
    for (int i = 0; i < items.size(); i++) {
      if (i > 0) {
        out[at++] = ',';
      }
      byte[] item = items.get(i);
      at = put(out, at, item == null ? NULL : item);
    }
    out[at++] = ']';
    put(out, at, tail);
    return out;
  }

  byte[] gzip() {
    // Large bodies compress about tenfold; start the buffer near that.
    ByteArrayOutputStream buffer = new ByteArrayOutputStream(Math.max(512, size() / 8));
    try (OutputStream gz = new LevelledGzip(buffer, GZIP_LEVEL)) {
      gz.write(head);
      gz.write('[');
      for (int i = 0; i < items.size(); i++) {
        if (i > 0) {
          gz.write(',');
        }
        byte[] item = items.get(i);
        gz.write(item == null ? NULL : item);
      }
      gz.write(']');
      gz.write(tail);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return buffer.toByteArray();
  }

  private static int put(byte[] out, int at, byte[] part) {
    System.arraycopy(part, 0, out, at, part.length);
    return at + part.length;
  }

  private static final class LevelledGzip extends GZIPOutputStream {
    LevelledGzip(OutputStream out, int level) throws IOException {
      super(out, 64 * 1024);
      def.setLevel(level);
    }
  }
}
