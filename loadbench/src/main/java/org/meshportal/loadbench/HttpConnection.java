package org.meshportal.loadbench;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.zip.GZIPInputStream;
import java.util.zip.InflaterInputStream;

/**
 * One persistent HTTP/1.1 connection to a loopback server, used by one worker at a time.
 *
 * <p>Written against the socket rather than a general client so that the harness spends
 * microseconds, not milliseconds, per request: the point is to see the server's latency. It sends
 * the headers Node's fetch sends (including {@code accept-encoding: gzip, deflate}), so each
 * server compresses exactly as it would for {@code @backstage/catalog-client}, and it decodes
 * what comes back.
 */
final class HttpConnection implements AutoCloseable {

  record Response(int status, byte[] body) {}

  private static final int TIMEOUT_MILLIS = 60_000;

  private final String host;
  private final int port;
  private final String extraHeaders;
  private Socket socket;
  private InputStream in;
  private OutputStream out;

  /** @param extraHeaders header lines, each ending in CRLF (for example an authorization header) */
  HttpConnection(String host, int port, String extraHeaders) {
    this.host = host;
    this.port = port;
    this.extraHeaders = extraHeaders;
  }

  Response get(String pathAndQuery) throws IOException {
    return exchange("GET", pathAndQuery, null);
  }

  Response post(String pathAndQuery, byte[] jsonBody) throws IOException {
    return exchange("POST", pathAndQuery, jsonBody);
  }

  private Response exchange(String method, String target, byte[] body) throws IOException {
    boolean reused = socket != null;
    try {
      return send(method, target, body);
    } catch (IOException e) {
      close();
      // A kept-alive connection the server closed while idle: retry once on a fresh one.
      if (!reused) throw e;
      return send(method, target, body);
    }
  }

  private Response send(String method, String target, byte[] body) throws IOException {
    if (socket == null) connect();
    StringBuilder head = new StringBuilder(256)
        .append(method).append(' ').append(target).append(" HTTP/1.1\r\n")
        .append("host: ").append(host).append(':').append(port).append("\r\n")
        .append("connection: keep-alive\r\n")
        .append("content-type: application/json\r\n")
        .append("accept: */*\r\n")
        .append("accept-encoding: gzip, deflate\r\n")
        .append("user-agent: meshportal-loadbench\r\n")
        .append(extraHeaders);
    if (body != null) head.append("content-length: ").append(body.length).append("\r\n");
    head.append("\r\n");
    out.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
    if (body != null) out.write(body);
    out.flush();
    return readResponse();
  }

  private void connect() throws IOException {
    Socket s = new Socket();
    s.setTcpNoDelay(true);
    s.setSoTimeout(TIMEOUT_MILLIS);
    s.connect(new InetSocketAddress(host, port), TIMEOUT_MILLIS);
    socket = s;
    in = new BufferedInputStream(s.getInputStream(), 64 * 1024);
    out = s.getOutputStream();
  }

  private Response readResponse() throws IOException {
    String statusLine = readLine();
    String[] parts = statusLine.split(" ", 3);
    if (parts.length < 2 || !parts[0].startsWith("HTTP/1.")) {
      throw new IOException("not an HTTP response: " + statusLine);
    }
    int status = Integer.parseInt(parts[1]);
    long contentLength = -1;
    boolean chunked = false;
    boolean closeAfter = parts[0].equals("HTTP/1.0");
    String encoding = null;
    for (String line = readLine(); !line.isEmpty(); line = readLine()) {
      int colon = line.indexOf(':');
      if (colon <= 0) continue;
      String name = line.substring(0, colon).trim().toLowerCase();
      String value = line.substring(colon + 1).trim();
      switch (name) {
        case "content-length" -> contentLength = Long.parseLong(value);
        case "transfer-encoding" -> chunked = value.toLowerCase().contains("chunked");
        case "content-encoding" -> encoding = value.toLowerCase();
        case "connection" -> closeAfter = value.equalsIgnoreCase("close");
        default -> { }
      }
    }
    byte[] raw;
    if (chunked) raw = readChunked();
    else if (contentLength >= 0) raw = in.readNBytes((int) contentLength);
    else if (status == 204 || status == 304) raw = new byte[0];
    else {
      raw = in.readAllBytes();
      closeAfter = true;
    }
    if (contentLength >= 0 && raw.length != contentLength) throw new EOFException("response body cut short");
    if (closeAfter) close();
    return new Response(status, decode(raw, encoding));
  }

  private byte[] readChunked() throws IOException {
    ByteArrayOutputStream body = new ByteArrayOutputStream(16 * 1024);
    for (;;) {
      String sizeLine = readLine();
      int semicolon = sizeLine.indexOf(';');
      int size = Integer.parseInt((semicolon >= 0 ? sizeLine.substring(0, semicolon) : sizeLine).trim(), 16);
      if (size == 0) {
        while (!readLine().isEmpty()) { } // trailers
        return body.toByteArray();
      }
      byte[] chunk = in.readNBytes(size);
      if (chunk.length != size) throw new EOFException("chunk cut short");
      body.write(chunk);
      readLine();
    }
  }

  private static byte[] decode(byte[] raw, String encoding) throws IOException {
    if (encoding == null || encoding.equals("identity") || raw.length == 0) return raw;
    InputStream decoded = switch (encoding) {
      case "gzip" -> new GZIPInputStream(new java.io.ByteArrayInputStream(raw), 16 * 1024);
      case "deflate" -> new InflaterInputStream(new java.io.ByteArrayInputStream(raw));
      default -> throw new IOException("unsupported content-encoding " + encoding);
    };
    try (decoded) {
      return decoded.readAllBytes();
    }
  }

  private String readLine() throws IOException {
    StringBuilder line = new StringBuilder(64);
    for (;;) {
      int b = in.read();
      if (b < 0) throw new EOFException("connection closed by the server");
      if (b == '\n') {
        int end = line.length();
        if (end > 0 && line.charAt(end - 1) == '\r') line.setLength(end - 1);
        return line.toString();
      }
      line.append((char) b);
    }
  }

  @Override
  public void close() {
    if (socket == null) return;
    try {
      socket.close();
    } catch (IOException ignored) {
      // closing a loopback socket that is already gone
    }
    socket = null;
    in = null;
    out = null;
  }
}
