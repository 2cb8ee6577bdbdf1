package org.meshportal.catalog.testing;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A minimal browser for sign-in flows: follows no redirect by itself, keeps cookies per name and
 * path, shows every response.
 */
public final class Browser {
  private final HttpClient client = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER)
      .connectTimeout(Duration.ofSeconds(5)).build();
  /** name → [value, path] */
  private final Map<String, String[]> cookies = new LinkedHashMap<>();
  private final List<String> setCookieHeaders = new ArrayList<>();

  public HttpResponse<String> send(String method, String url, String... headers) {
    URI uri = URI.create(url);
    HttpRequest.Builder b = HttpRequest.newBuilder(uri).method(method, HttpRequest.BodyPublishers.noBody());
    for (int i = 0; i < headers.length; i += 2) {
      b.header(headers[i], headers[i + 1]);
    }
    StringBuilder cookie = new StringBuilder();
    cookies.forEach((name, vp) -> {
      if (uri.getPath().startsWith(vp[1])) {
        cookie.append(cookie.isEmpty() ? "" : "; ").append(name).append('=').append(vp[0]);
      }
    });
    if (!cookie.isEmpty()) {
      b.header("Cookie", cookie.toString());
    }
    try {
      HttpResponse<String> r = client.send(b.build(), HttpResponse.BodyHandlers.ofString());
      for (String h : r.headers().allValues("Set-Cookie")) {
        setCookieHeaders.add(h);
        String[] parts = h.split(";\\s*");
        String name = parts[0].substring(0, parts[0].indexOf('='));
        String value = parts[0].substring(parts[0].indexOf('=') + 1);
        String path = "/";
        boolean expired = false;
        for (String p : parts) {
          if (p.startsWith("Path=")) {
            path = p.substring(5);
          }
          if (p.equals("Max-Age=0")) {
            expired = true;
          }
        }
        if (expired) {
          cookies.remove(name);
        } else {
          cookies.put(name, new String[] {value, path});
        }
      }
      return r;
    } catch (IOException | InterruptedException e) {
      throw new AssertionError(method + " " + url + " failed", e);
    }
  }

  public HttpResponse<String> get(String url, String... headers) {
    return send("GET", url, headers);
  }

  public String cookie(String name) {
    String[] vp = cookies.get(name);
    return vp == null ? null : vp[0];
  }

  public String setCookie(String name) {
    return setCookieHeaders.stream().filter(h -> h.startsWith(name + "=")).reduce((a, b) -> b).orElse(null);
  }

  /** Every {@code Set-Cookie} header received, oldest first. */
  public List<String> setCookieHeaders() {
    return List.copyOf(setCookieHeaders);
  }
}
