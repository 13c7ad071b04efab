package dev.postoffice.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class FaultProxyTest {
  private ServerSocket echo;
  private FaultProxy proxy;

  @BeforeEach
  void start() throws IOException {
    echo = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    Thread t =
        new Thread(
            () -> {
              while (!echo.isClosed()) {
                try {
                  Socket s = echo.accept();
                  Thread pump =
                      new Thread(
                          () -> {
                            try (s;
                                InputStream in = s.getInputStream();
                                OutputStream out = s.getOutputStream()) {
                              in.transferTo(out);
                            } catch (IOException e) {
                              // the test closed the link
                            }
                          });
                  pump.setDaemon(true);
                  pump.start();
                } catch (IOException e) {
                  return;
                }
              }
            });
    t.setDaemon(true);
    t.start();
    proxy = FaultProxy.to("127.0.0.1", echo.getLocalPort());
  }

  @AfterEach
  void stop() throws IOException {
    proxy.close();
    echo.close();
  }

  private Socket connect() throws IOException {
    Socket s = new Socket(InetAddress.getLoopbackAddress(), proxy.port());
    s.setSoTimeout(2000);
    return s;
  }

  private static int roundTrip(Socket s, int b) throws IOException {
    s.getOutputStream().write(b);
    s.getOutputStream().flush();
    return s.getInputStream().read();
  }

  /** The proxy closed the link: the read ends, or the connection was reset. */
  private static void assertClosed(Socket s) {
    int read;
    try {
      read = s.getInputStream().read();
    } catch (SocketTimeoutException e) {
      throw new AssertionError("the link is still open", e);
    } catch (IOException e) {
      return;
    }
    assertThat(read).as("a read on a closed link").isEqualTo(-1);
  }

  @Test
  @DisplayName("bytes pass both ways while there is no fault")
  void forwards() throws IOException {
    try (Socket s = connect()) {
      assertThat(roundTrip(s, 7)).isEqualTo(7);
      assertThat(proxy.accepted()).isEqualTo(1);
    }
  }

  @Nested
  @DisplayName("cut")
  class Cut {
    @Test
    @DisplayName("closes open links but accepts new ones")
    void closesLinks() throws IOException {
      try (Socket first = connect()) {
        assertThat(roundTrip(first, 1)).isEqualTo(1);
        proxy.cut();
        assertClosed(first);
      }
      try (Socket second = connect()) {
        assertThat(roundTrip(second, 2)).isEqualTo(2);
      }
    }

    @Test
    @DisplayName("and refuse closes new links too, until healed")
    void refusesUntilHealed() throws IOException {
      proxy.cutAndRefuse();
      try (Socket refused = connect()) {
        assertClosed(refused);
      }
      proxy.heal();
      try (Socket after = connect()) {
        assertThat(roundTrip(after, 3)).isEqualTo(3);
      }
    }
  }

  @Test
  @DisplayName("held replies stall until released")
  void holdsReplies() throws IOException {
    try (Socket s = connect()) {
      assertThat(roundTrip(s, 1)).isEqualTo(1);
      proxy.holdReplies(true);
      s.setSoTimeout(200);
      assertThatThrownBy(() -> roundTrip(s, 2)).isInstanceOf(SocketTimeoutException.class);
      proxy.holdReplies(false);
      s.setSoTimeout(2000);
      assertThat(s.getInputStream().read()).isEqualTo(2);
    }
  }

  @Test
  @DisplayName("a black hole stops bytes until healed")
  void blackHole() throws IOException {
    try (Socket s = connect()) {
      proxy.blackHole();
      s.setSoTimeout(200);
      assertThatThrownBy(() -> roundTrip(s, 4)).isInstanceOf(SocketTimeoutException.class);
      proxy.heal();
      s.setSoTimeout(2000);
      assertThat(s.getInputStream().read()).isEqualTo(4);
    }
  }
}
