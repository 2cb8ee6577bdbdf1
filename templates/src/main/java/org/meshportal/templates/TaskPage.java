package org.meshportal.templates;

import java.util.List;

/** {@code GET /v2/tasks} response: {@code {tasks, totalTasks}}. */
public record TaskPage(List<Task> tasks, long totalTasks) {}
