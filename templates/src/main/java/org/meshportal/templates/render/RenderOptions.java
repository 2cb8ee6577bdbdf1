package org.meshportal.templates.render;

/**
 * How a text is rendered. {@code cookiecutter} switches expressions to {@code {{ }}} (fetch:template's
 * cookiecutterCompat); {@code trimBlocks} removes the first newline after a {@code {% %}} tag.
 */
public record RenderOptions(boolean cookiecutter, boolean trimBlocks) {
  public static final RenderOptions DEFAULT = new RenderOptions(false, false);
}
