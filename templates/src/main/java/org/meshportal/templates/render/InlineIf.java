package org.meshportal.templates.render;

import io.pebbletemplates.pebble.error.ParserException;
import io.pebbletemplates.pebble.node.expression.BinaryExpression;
import io.pebbletemplates.pebble.node.expression.Expression;
import io.pebbletemplates.pebble.operator.Associativity;
import io.pebbletemplates.pebble.operator.BinaryOperator;
import io.pebbletemplates.pebble.operator.BinaryOperatorImpl;
import io.pebbletemplates.pebble.operator.BinaryOperatorType;
import io.pebbletemplates.pebble.template.EvaluationContextImpl;
import io.pebbletemplates.pebble.template.PebbleTemplateImpl;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Nunjucks' inline conditional, {@code body if cond else other} and {@code body if cond} (undefined
 * when {@code cond} is falsy), as two Pebble binary operators parsed by Pebble's own expression
 * parser.
 *
 * <p>Precedences follow Nunjucks, where the inline if is the loosest expression and each of its
 * three parts is an {@code or}-expression: {@code if} binds looser than {@code or} (10), so
 * {@code a or b if c} is {@code (a or b) if c}; filters, concatenation and arithmetic bind tighter,
 * so {@code a if b else c | upper} filters {@code c} only and {@code (a if b else c) | upper} the
 * result. {@code else} is looser still and right-associative, so a chained
 * {@code a if b else c if d else e} reads as {@code a if b else (c if d else e)} (Nunjucks itself
 * refuses the chain without parentheses).
 *
 * <p>Why the words are marked in the text first ({@link #mark}): Pebble's lexer matches operator
 * symbols before names everywhere, and a {@code {% %}} block must start with a name token, so
 * registering {@code if} and {@code else} themselves as operators would break the {@code {% if %}}
 * and {@code {% else %}} tags; Pebble 3.2 has no hook into its lexer or token stream. So a small
 * tokenizer that follows Pebble's lexer (delimiters, comments, {@code verbatim} blocks, string
 * literals with their escapes and {@code #{}} interpolations, bracket depth, the tag name that
 * opens a block, attribute names after a dot) prefixes each expression-level {@code if} /
 * {@code else} word with {@code #}, which cannot occur in an expression outside a string literal;
 * the operators are {@code #if} and {@code #else}.
 */
final class InlineIf {
  private InlineIf() {}

  static final String IF = "#if";
  static final String ELSE = "#else";

  static List<BinaryOperator> operators() {
    return List.of(
        new BinaryOperatorImpl(IF, 6, If::new, BinaryOperatorType.NORMAL, Associativity.LEFT),
        new BinaryOperatorImpl(ELSE, 5, Else::new, BinaryOperatorType.NORMAL, Associativity.RIGHT));
  }

  /** JavaScript truthiness, which Nunjucks' compiled templates use: empty arrays and objects are true. */
  static boolean truthy(Object value) {
    if (value == null) {
      return false;
    }
    if (value instanceof Boolean b) {
      return b;
    }
    if (value instanceof Number n) {
      double d = n.doubleValue();
      return d != 0 && !Double.isNaN(d);
    }
    if (value instanceof CharSequence s) {
      return !s.isEmpty();
    }
    return true;
  }

  /** {@code body #if cond}: left is the body, right the condition. */
  static final class If extends BinaryExpression<Object> {
    boolean test(PebbleTemplateImpl self, EvaluationContextImpl context) {
      return truthy(getRightExpression().evaluate(self, context));
    }

    Object body(PebbleTemplateImpl self, EvaluationContextImpl context) {
      return getLeftExpression().evaluate(self, context);
    }

    @Override
    public Object evaluate(PebbleTemplateImpl self, EvaluationContextImpl context) {
      return test(self, context) ? body(self, context) : null;
    }
  }

  /** {@code (body #if cond) #else other}. */
  static final class Else extends BinaryExpression<Object> {
    @Override
    public void setLeft(Expression<?> left) {
      if (!(left instanceof If)) {
        throw new ParserException(null, "'else' without 'if' in an inline if expression",
            left.getLineNumber(), null);
      }
      super.setLeft(left);
    }

    @Override
    public Object evaluate(PebbleTemplateImpl self, EvaluationContextImpl context) {
      If inline = (If) getLeftExpression();
      return inline.test(self, context) ? inline.body(self, context) : getRightExpression().evaluate(self, context);
    }
  }

  // ------------------------------------------------------------------ marking the words

  private static final Pattern LEADING_TRIM = Pattern.compile("-\\s+");

  /**
   * The template with every expression-level {@code if} / {@code else} word prefixed by {@code #};
   * the text is otherwise unchanged (same lines), and returned as is when there is nothing to mark.
   *
   * @param printOpen the print delimiter in use ({@code ${{}, or {@code {{} with cookiecutterCompat)
   */
  static String mark(String template, String printOpen) {
    if (!template.contains("if") && !template.contains("else")) {
      return template;
    }
    Scanner scanner = new Scanner(template, printOpen);
    scanner.data();
    if (scanner.marks.isEmpty()) {
      return template;
    }
    StringBuilder out = new StringBuilder(template.length() + scanner.marks.size());
    int from = 0;
    for (int at : scanner.marks) {
      out.append(template, from, at).append('#');
      from = at;
    }
    return out.append(template, from, template.length()).toString();
  }

  /** Replaces the marked operators by the words in a (parser) message. */
  static String unmark(String message) {
    return message == null ? null : message.replace(ELSE, "else").replace(IF, "if");
  }

  /** Walks a template as Pebble's lexer does, recording where the inline-if words start. */
  private static final class Scanner {
    private final String text;
    private final String printOpen;
    private final Pattern verbatimStart = Pattern.compile("\\s*verbatim\\s*-?%}");
    private final Pattern verbatimEnd = Pattern.compile("\\{%-?\\s*endverbatim\\s*-?%}");
    final List<Integer> marks = new ArrayList<>();
    private int pos;

    Scanner(String text, String printOpen) {
      this.text = text;
      this.printOpen = printOpen;
    }

    /** Text between blocks: finds the next {@code {#}, {@code {%} or print delimiter, whichever comes first. */
    void data() {
      while (pos < text.length()) {
        int print = text.indexOf(printOpen, pos);
        int execute = text.indexOf("{%", pos);
        int comment = text.indexOf("{#", pos);
        int next = first(print, execute, comment);
        if (next < 0) {
          return;
        }
        if (next == comment) {
          int end = text.indexOf("#}", next + 2);
          pos = end < 0 ? text.length() : end + 2;
        } else if (next == execute) {
          pos = next + 2;
          skipLeadingTrim();
          Matcher verbatim = verbatimStart.matcher(text).region(pos, text.length());
          if (verbatim.lookingAt()) {
            Matcher end = verbatimEnd.matcher(text).region(verbatim.end(), text.length());
            pos = end.find() ? end.end() : text.length();
          } else {
            expression("%}", true);
          }
        } else {
          pos = next + printOpen.length();
          skipLeadingTrim();
          expression("}}", false);
        }
      }
    }

    private static int first(int... candidates) {
      int best = -1;
      for (int c : candidates) {
        if (c >= 0 && (best < 0 || c < best)) {
          best = c;
        }
      }
      return best;
    }

    private void skipLeadingTrim() {
      Matcher m = LEADING_TRIM.matcher(text).region(pos, text.length());
      if (m.lookingAt()) {
        pos = m.end();
      }
    }

    /**
     * An expression up to {@code close} at bracket depth 0 (also {@code -close}); {@code tag}: the
     * first name is a block's tag name ({@code {% if x %}}, {@code {% else %}}), never an operator.
     */
    private void expression(String close, boolean tag) {
      int depth = 0;
      boolean first = tag;
      boolean afterDot = false;
      while (pos < text.length()) {
        char c = text.charAt(pos);
        if (Character.isWhitespace(c)) {
          pos++;
          continue;
        }
        if (depth == 0 && (text.startsWith(close, pos) || (c == '-' && text.startsWith(close, pos + 1)))) {
          pos += c == '-' ? close.length() + 1 : close.length();
          return;
        }
        if (c == '\'' || c == '"') {
          string(c);
        } else if (Character.isLetter(c) || c == '_') {
          int start = pos;
          while (pos < text.length() && (Character.isLetterOrDigit(text.charAt(pos)) || text.charAt(pos) == '_')) {
            pos++;
          }
          String word = text.substring(start, pos);
          if (!first && !afterDot && (word.equals("if") || word.equals("else"))) {
            marks.add(start);
          }
        } else if (c == '(' || c == '[' || c == '{') {
          depth++;
          pos++;
        } else if (c == ')' || c == ']' || c == '}') {
          depth = Math.max(0, depth - 1);
          pos++;
        } else {
          pos++;
        }
        first = false;
        afterDot = c == '.';
      }
    }

    /** A string literal; in a double-quoted one, {@code #{ … }} holds an expression (Pebble's interpolation). */
    private void string(char quote) {
      pos++;
      while (pos < text.length()) {
        char c = text.charAt(pos);
        if (c == '\\') {
          pos += 2;
        } else if (c == quote) {
          pos++;
          return;
        } else if (quote == '"' && c == '#' && text.startsWith("#{", pos)) {
          pos += 2;
          expression("}", false);
        } else {
          pos++;
        }
      }
    }
  }
}
