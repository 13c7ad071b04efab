package dev.postoffice.rabbit.endtoend;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/** A TCP proxy in front of the broker whose links a test can cut, as a network failure would. */
final class CuttableProxy implements AutoCloseable {
  private final ServerSocket server;
  private final String targetHost;
  private final int targetPort;
  private final List<Socket> sockets = new CopyOnWriteArrayList<>();
  private final AtomicInteger accepted = new AtomicInteger();
  private volatile boolean closed;

  CuttableProxy(String targetHost, int targetPort) throws IOException {
    this.targetHost = targetHost;
    this.targetPort = targetPort;
    this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    Thread acceptor = new Thread(this::acceptLoop, "e2e-proxy-accept");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  int port() {
    return server.getLocalPort();
  }

  /** @return how many client connections were accepted so far */
  int accepted() {
    return accepted.get();
  }

  /** Closes every open link; new connections are still accepted. */
  void cut() {
    for (Socket s : sockets) {
      closeQuietly(s);
    }
    sockets.clear();
  }

  private void acceptLoop() {
    while (!closed) {
      try {
        Socket client = server.accept();
        Socket broker = new Socket(targetHost, targetPort);
        client.setTcpNoDelay(true);
        broker.setTcpNoDelay(true);
        sockets.add(client);
        sockets.add(broker);
        accepted.incrementAndGet();
        pump(client, broker);
        pump(broker, client);
      } catch (IOException e) {
        if (closed) {
          return;
        }
      }
    }
  }

  private static void pump(Socket from, Socket to) {
    Thread t = new Thread(() -> {
      byte[] buffer = new byte[64 * 1024];
      try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
        int n;
        while ((n = in.read(buffer)) >= 0) {
          out.write(buffer, 0, n);
          out.flush();
        }
      } catch (IOException e) {
        // the link was cut
      } finally {
        closeQuietly(from);
        closeQuietly(to);
      }
    }, "e2e-proxy-pump");
    t.setDaemon(true);
    t.start();
  }

  private static void closeQuietly(Socket s) {
    try {
      s.close();
    } catch (IOException ignored) {
      // already closed
    }
  }

  @Override
  public void close() throws IOException {
    closed = true;
    server.close();
    cut();
  }
}
