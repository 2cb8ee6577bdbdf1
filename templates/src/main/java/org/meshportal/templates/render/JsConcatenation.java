package org.meshportal.templates.render;

import io.pebbletemplates.pebble.node.expression.BinaryExpression;
import io.pebbletemplates.pebble.operator.Associativity;
import io.pebbletemplates.pebble.operator.BinaryOperator;
import io.pebbletemplates.pebble.operator.BinaryOperatorImpl;
import io.pebbletemplates.pebble.operator.BinaryOperatorType;
import io.pebbletemplates.pebble.template.EvaluationContextImpl;
import io.pebbletemplates.pebble.template.PebbleTemplateImpl;
import io.pebbletemplates.pebble.utils.OperatorUtils;
import java.util.List;

/**
 * Nunjucks compiles {@code a ~ b} (and {@code a + b} with a string) to JavaScript string
 * concatenation, where a missing value reads {@code undefined}; Pebble would drop it ({@code ~}) or
 * write {@code null} ({@code +}). Pebble has no undefined, so a value explicitly {@code null} reads
 * {@code undefined} here too (Nunjucks: {@code null}).
 */
final class JsConcatenation {
  private JsConcatenation() {}

  /** Same symbols, precedences and associativity as Pebble's core operators they replace. */
  static final List<String> SYMBOLS = List.of("~", "+");

  static List<BinaryOperator> operators() {
    return List.of(
        new BinaryOperatorImpl("~", 110, Concat::new, BinaryOperatorType.NORMAL, Associativity.LEFT),
        new BinaryOperatorImpl("+", 40, Add::new, BinaryOperatorType.NORMAL, Associativity.LEFT));
  }

  private static String text(Object value) {
    return value == null ? "undefined" : String.valueOf(value);
  }

  static final class Concat extends BinaryExpression<Object> {
    @Override
    public Object evaluate(PebbleTemplateImpl self, EvaluationContextImpl context) {
      return text(getLeftExpression().evaluate(self, context)) + text(getRightExpression().evaluate(self, context));
    }
  }

  static final class Add extends BinaryExpression<Object> {
    @Override
    public Object evaluate(PebbleTemplateImpl self, EvaluationContextImpl context) {
      Object left = getLeftExpression().evaluate(self, context);
      Object right = getRightExpression().evaluate(self, context);
      if (left instanceof CharSequence || right instanceof CharSequence) {
        return text(left) + text(right);
      }
      return OperatorUtils.add(left, right);
    }
  }
}
