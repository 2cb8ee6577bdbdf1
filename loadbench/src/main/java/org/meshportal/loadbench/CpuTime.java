package org.meshportal.loadbench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * CPU time used so far, in nanoseconds: of this process, and of another process by its pid
 * (Linux: the sum of its threads' {@code schedstat} run times, nanosecond-precise where
 * {@code /proc/<pid>/stat} counts 10 ms ticks; a thread that exits in between takes its time with
 * it, which pooled server threads seldom do).
 */
final class CpuTime {
  private CpuTime() {}

  static long ofThisProcess() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
  }

  /** The process's CPU time, or -1 when it cannot be read. */
  static long ofProcess(long pid) {
    long sum = 0;
    try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc", Long.toString(pid), "task"))) {
      for (Path task : tasks) {
        try {
          String stat = Files.readString(task.resolve("schedstat")).trim();
          sum += Long.parseLong(stat.substring(0, stat.indexOf(' ')));
        } catch (IOException | RuntimeException e) {
          // the thread ended while we looked
        }
      }
      return sum;
    } catch (IOException e) {
      return -1;
    }
  }
}
