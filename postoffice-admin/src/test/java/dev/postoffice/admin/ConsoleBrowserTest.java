package dev.postoffice.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.postoffice.model.Status;
import dev.postoffice.spi.EntrySearch;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The console in a real browser, the way an on-call engineer uses it: sign in, see the rejected
 * messages, filter, open one, read the raw bytes and the error, deploy the fix, replay it and watch
 * it reach Acknowledged; then replay the rest in bulk; then the same pages on a phone.
 */
@DisplayName("The console in headless Chromium")
class ConsoleBrowserTest {
  static final int RENAMED = 12;

  Shop shop;
  Console console;
  Browser browser;
  WebDriverWait wait;

  @BeforeEach
  void start() {
    browser = Browser.start();
    wait = new WebDriverWait(browser.driver, Duration.ofSeconds(20));
    shop = Shop.running();
    for (int i = 1; i <= 3; i++) {
      shop.good("1000" + i);
    }
    for (int i = 1; i <= RENAMED; i++) {
      shop.renamed(String.valueOf(2000 + i));
    }
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> count(Status.REJECTED) == RENAMED && count(Status.ACKNOWLEDGED) == 3);
    console = Console.of(shop);
  }

  @AfterEach
  void stop() {
    if (browser != null) {
      browser.close();
    }
    if (console != null) {
      console.close();
    }
    if (shop != null) {
      shop.close();
    }
  }

  private long count(Status status) {
    return shop.pipeline.operations().count(EntrySearch.builder().statuses(status).build());
  }

  private WebElement shown(String css) {
    return wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector(css)));
  }

  @Test
  @DisplayName("find a rejected message, read why, fix, replay it and watch it reach Acknowledged")
  void story() {
    var driver = browser.driver;
    driver.get(console.base());
    shown("#token-input").sendKeys(Shop.OPERATOR_TOKEN);
    driver.findElement(By.id("sign-in")).click();

    // 1. The overview: the route, its counts per layer and status, and what needs an operator.
    WebElement route = shown("section.route[data-route='acme-orders']");
    assertThat(route.getText()).contains(RENAMED + " need an operator");
    assertThat(shown("#whoami").getText()).isEqualTo("olivia · operator");
    browser.screenshot("01-routes");

    // 2. The rejected list, filtered by the error's text.
    route.findElement(By.cssSelector("a.attention")).click();
    shown("#filter-error").sendKeys("currency");
    driver.findElement(By.id("filter-apply")).click();
    assertThat(shown("#bulk-replay").getText()).isEqualTo("Replay all " + RENAMED + "…");
    assertThat(driver.findElement(By.id("match-count")).getText())
        .startsWith(RENAMED + " matching");
    List<WebElement> rows = driver.findElements(By.cssSelector("tr.entry-row"));
    assertThat(rows).hasSize(RENAMED);
    assertThat(rows.get(0).getText()).contains("currency is missing");
    browser.screenshot("02-rejected");

    // 3. One entry: the error, the raw partner bytes beside what each layer made of them.
    rows.get(0).findElement(By.cssSelector("a")).click();
    assertThat(shown("#entry-error").getText()).contains("currency is missing");
    assertThat(shown("#entry-status").getText()).isEqualTo("Rejected");
    assertThat(driver.findElement(By.id("delivery-id")).getText()).startsWith("wh-20");
    WebElement raw = shown(".payload[data-layer='L1'] pre");
    assertThat(raw.getText()).contains("\"curr\": \"EUR\"").doesNotContain("currency");
    assertThat(driver.findElements(By.cssSelector(".lane[data-layer='L4'] .step"))).isEmpty();
    browser.screenshot("03-entry");

    // 4. The fix is deployed; replay, after a confirmation that names how many entries.
    shop.fixTranslator();
    driver.findElement(By.id("replay-one")).click();
    assertThat(shown("#confirm-text").getText()).startsWith("Replay 1 entry");
    browser.screenshot("04-confirm");
    driver.findElement(By.id("confirm-yes")).click();

    // 5. The page follows the message through the layers until the Core App acknowledged it.
    shown(".lane[data-layer='L4'] .step[data-status='ACKNOWLEDGED']");
    wait.until(ExpectedConditions.textToBe(By.id("entry-status"), "Processed"));
    browser.screenshot("05-acknowledged");
    assertThat(shop.pipeline.operations().findByDeliveryId("wh-2012")).isNotEmpty();

    // 6. The other rejected messages: one bulk replay, confirmed with their number, with progress.
    driver.navigate().back();
    driver.get(console.base() + "#/entries?route=acme-orders&status=REJECTED&error=currency");
    WebElement bulk = shown("#bulk-replay");
    assertThat(bulk.getText()).isEqualTo("Replay all " + (RENAMED - 1) + "…");
    bulk.click();
    assertThat(shown("#confirm-text").getText())
        .startsWith("Replay " + (RENAMED - 1) + " entries of acme-orders");
    driver.findElement(By.id("confirm-yes")).click();
    shown("section.job[data-state='DONE']");
    assertThat(driver.findElement(By.cssSelector(".job-progress")).getText())
        .contains((RENAMED - 1) + " of " + (RENAMED - 1) + " replayed");
    browser.screenshot("06-bulk-replay");
    await().atMost(Duration.ofSeconds(20)).until(() -> count(Status.ACKNOWLEDGED) == 3 + RENAMED);
    assertThat(count(Status.REJECTED)).isZero();

    // 7. Pause the route for the partner's maintenance, and resume it.
    driver.get(console.base() + "#/routes");
    shown("button.pause[data-route='acme-orders']").click();
    assertThat(shown("section.route .badge.paused").getText()).isEqualTo("paused by olivia");
    browser.screenshot("07-paused");
    driver.findElement(By.cssSelector("button.resume[data-route='acme-orders']")).click();
    wait.until(
        ExpectedConditions.invisibilityOfElementLocated(
            By.cssSelector("section.route .badge.paused")));
  }

  @Test
  @DisplayName("fits a phone's screen, and offers a viewer no replay")
  void phoneAndViewer() {
    var driver = browser.driver;
    browser.size(390, 844);
    driver.get(console.base());
    shown("#token-input").sendKeys(Shop.VIEWER_TOKEN);
    driver.findElement(By.id("sign-in")).click();
    shown("section.route[data-route='acme-orders']");
    assertThat(driver.findElements(By.cssSelector("button.pause"))).isEmpty();
    assertThat(overflow()).isEmpty();
    browser.screenshot("08-phone-routes");

    String id = shop.pipeline.operations().failed(Shop.ORDERS, 1).get(0).id().toString();
    driver.get(console.base() + "#/entry/" + id);
    shown("#entry-error");
    assertThat(driver.findElements(By.id("replay-one"))).isEmpty();
    assertThat(overflow()).isEmpty();
    browser.screenshot("09-phone-entry");
  }

  /** Tells whether the page fits the window's width; names the elements that stick out if not. */
  private String overflow() {
    Object wide =
        browser.driver.executeScript(
            "if (document.documentElement.scrollWidth <= window.innerWidth) return '';"
                + "return [...document.querySelectorAll('body *')]"
                + ".filter(e => e.getBoundingClientRect().right > window.innerWidth + 1)"
                + ".slice(0, 5).map(e => e.tagName + '.' + e.className + '#' + e.id).join(', ');");
    return String.valueOf(wide);
  }
}
