package dev.colloquy.demo;

import dev.colloquy.core.tool.Tool;
import dev.colloquy.core.tool.ToolParam;
import java.time.LocalDate;
import java.util.List;

/**
 * The demo shop's order system: the {@code orderStatus} tool. Any five-digit order exists; its
 * status and date follow from the number, so answers are stable across runs.
 */
public final class OrderBook {

  private static final LocalDate FIRST_DAY = LocalDate.of(2026, 1, 1);

  /**
   * Returns the status of an order as JSON.
   *
   * @param orderId the order number
   * @return {@code {"orderId":…,"status":…,"date":…}}, or an error object for unknown numbers
   */
  @Tool(description = "Looks up the status of an order by its number")
  public String orderStatus(
      @ToolParam(name = "orderId", description = "the five-digit order number") int orderId) {
    if (orderId < 10_000 || orderId > 99_999) {
      return "{\"orderId\":" + orderId + ",\"error\":\"no such order\"}";
    }
    List<String> statuses = List.of("processing", "shipped", "delivered", "cancelled");
    String status = statuses.get(orderId % statuses.size());
    String date = FIRST_DAY.plusDays(orderId % 365).toString();
    return resultJson(orderId, status, date);
  }

  static String resultJson(int orderId, String status, String date) {
    return "{\"orderId\":" + orderId + ",\"status\":\"" + status + "\",\"date\":\"" + date + "\"}";
  }
}
