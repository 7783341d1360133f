package dev.colloquy.examples.webchat;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;

/**
 * The chat page in Debian's headless Chromium, driven by Selenium through Debian's chromedriver
 * (never a downloaded browser): the reply must appear piece by piece, not all at once; a tool call
 * shows as a tool call with its result; a failure shows one generic line.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@Import(ScriptedBackend.class)
class WebChatBrowserTest {
  private static final File CHROMIUM = new File("/usr/bin/chromium");
  private static final File CHROMEDRIVER = new File("/usr/bin/chromedriver");

  @TempDir static Path profile;

  private static WebDriver browser;

  @LocalServerPort int port;

  @BeforeAll
  static void startChromium() {
    assertThat(CHROMIUM.canExecute())
        .as("Debian's chromium (apt-get install chromium; ./verify installs it)")
        .isTrue();
    assertThat(CHROMEDRIVER.canExecute())
        .as("Debian's chromedriver (apt-get install chromium-driver)")
        .isTrue();
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM);
    options.addArguments(
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-dev-shm-usage",
        "--user-data-dir=" + profile.toAbsolutePath());
    ChromeDriverService service =
        new ChromeDriverService.Builder()
            .usingDriverExecutable(CHROMEDRIVER)
            .usingAnyFreePort()
            .build();
    browser = new ChromeDriver(service, options);
  }

  @AfterAll
  static void stopChromium() {
    if (browser != null) {
      browser.quit();
    }
  }

  @Test
  void theStreamedReplyAppearsInPiecesAsItArrives() throws Exception {
    browser.get("http://127.0.0.1:" + port + "/");
    browser.findElement(By.id("message")).sendKeys("What are your opening hours?");
    browser.findElement(By.id("send")).click();
    WebElement reply =
        new WebDriverWait(browser, Duration.ofSeconds(10))
            .until(driver -> driver.findElement(By.id("reply-1")));

    List<String> seen = new ArrayList<>();
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (!"done".equals(reply.getDomAttribute("data-state")) && System.nanoTime() < deadline) {
      String text = reply.getText();
      if (seen.isEmpty() || !seen.get(seen.size() - 1).equals(text)) {
        seen.add(text);
      }
      Thread.sleep(50);
    }
    String full = String.join("", ScriptedBackend.SLOW_CHUNKS);
    assertThat(reply.getDomAttribute("data-state")).isEqualTo("done");
    assertThat(reply.getText()).isEqualTo(full);
    List<String> partial =
        seen.stream().filter(text -> !text.isEmpty() && !text.equals(full)).toList();
    assertThat(partial)
        .as("texts seen while streaming: %s", seen)
        .hasSizeGreaterThanOrEqualTo(3)
        .allSatisfy(text -> assertThat(full).startsWith(text));
    assertThat(partial).isSortedAccordingTo((a, b) -> Integer.compare(a.length(), b.length()));
    assertThat(browser.findElement(By.cssSelector("#log .user")).getText())
        .isEqualTo("What are your opening hours?");
    Files.writeString(Path.of("target", "web-chat-page.html"), browser.getPageSource());
  }

  private WebElement ask(String message, String finalState) {
    browser.get("http://127.0.0.1:" + port + "/");
    browser.findElement(By.id("message")).sendKeys(message);
    browser.findElement(By.id("send")).click();
    WebElement reply =
        new WebDriverWait(browser, Duration.ofSeconds(10))
            .until(driver -> driver.findElement(By.id("reply-1")));
    new WebDriverWait(browser, Duration.ofSeconds(30))
        .until(driver -> !"streaming".equals(reply.getDomAttribute("data-state")));
    assertThat(reply.getDomAttribute("data-state")).isEqualTo(finalState);
    return reply;
  }

  @Test
  void aToolCallShowsAsCalledWithItsArgumentsAndResultNotAsRawText() {
    WebElement reply = ask("Where is my order 10234?", "done");
    assertThat(reply.getText()).isEqualTo(ScriptedBackend.ORDER_REPLY);
    List<WebElement> tools = browser.findElements(By.cssSelector("#log .tool"));
    assertThat(tools).hasSize(1);
    assertThat(tools.get(0).findElement(By.className("tool-call")).getText())
        .isEqualTo("called orderStatus(orderId: 10234)");
    assertThat(tools.get(0).findElement(By.className("tool-result")).getText())
        .isEqualTo("{\"orderId\":10234,\"status\":\"delivered\",\"date\":\"2026-01-15\"}");
    // The call sits between the question and the reply.
    List<String> classes =
        browser.findElements(By.cssSelector("#log > div")).stream()
            .map(div -> div.getDomAttribute("class"))
            .toList();
    assertThat(classes).containsExactly("turn user", "tool", "turn assistant");
    assertThat(browser.findElement(By.id("log")).getText()).doesNotContain("[call");
  }

  @Test
  void aFailedTurnShowsOneGenericLineWithoutTheBackendsUrlOrKey() {
    WebElement reply = ask("break it", "failed");
    assertThat(reply.getText()).isEqualTo(ChatController.UNAVAILABLE);
    assertThat(browser.getPageSource())
        .doesNotContain("10.1.2.3")
        .doesNotContain("8443")
        .doesNotContain("sk-live");
  }
}
