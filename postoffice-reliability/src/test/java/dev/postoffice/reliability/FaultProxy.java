package dev.postoffice.reliability;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.LockSupport;

/**
 * A TCP proxy on loopback with injectable faults, between PostOffice and a service: added latency per chunk
 * each way, connections cut (and new ones refused while the cut lasts), and a black hole (connections stay
 * open but no byte passes, as in a network partition, until it ends). Plain sockets, two threads per
 * connection: fine for the few connections a pool and a broker client open.
 */
final class FaultProxy implements AutoCloseable {
  private final ServerSocket server;
  private final String targetHost;
  private final int targetPort;
  private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
  private volatile long latencyNanos;
  private volatile boolean refusing;
  private volatile boolean blackHole;
  private volatile boolean closed;

  private FaultProxy(String targetHost, int targetPort) throws IOException {
    this.targetHost = targetHost;
    this.targetPort = targetPort;
    this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    Thread acceptor = new Thread(this::accept, "fault-proxy-" + targetPort);
    acceptor.setDaemon(true);
    acceptor.start();
  }

  /** @return a started proxy to the target */
  static FaultProxy to(String host, int port) throws IOException {
    return new FaultProxy(host, port);
  }

  /** @return the port to connect to instead of the target's */
  int port() {
    return server.getLocalPort();
  }

  /** Adds this delay to every chunk forwarded, each way; zero for none. */
  void latency(Duration delay) {
    latencyNanos = delay.toNanos();
  }

  /** Closes every open connection and refuses new ones until {@link #heal()}. */
  void cut() {
    refusing = true;
    for (Socket s : sockets) {
      closeQuietly(s);
    }
  }

  /** Stops every byte, both ways, on open and new connections, until {@link #heal()}. */
  void blackHole() {
    blackHole = true;
  }

  /** Ends every fault. */
  void heal() {
    latencyNanos = 0;
    refusing = false;
    blackHole = false;
  }

  private void accept() {
    while (!closed) {
      Socket client;
      try {
        client = server.accept();
      } catch (IOException e) {
        return;
      }
      if (refusing) {
        closeQuietly(client);
        continue;
      }
      try {
        Socket upstream = new Socket(targetHost, targetPort);
        client.setTcpNoDelay(true);
        upstream.setTcpNoDelay(true);
        sockets.add(client);
        sockets.add(upstream);
        pump(client, upstream);
        pump(upstream, client);
      } catch (IOException e) {
        closeQuietly(client);
      }
    }
  }

  private void pump(Socket from, Socket to) {
    Thread t = new Thread(() -> {
      byte[] buffer = new byte[16 * 1024];
      try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
        int n;
        while ((n = in.read(buffer)) >= 0) {
          while (blackHole && !closed) {
            LockSupport.parkNanos(Duration.ofMillis(10).toNanos());
          }
          long delay = latencyNanos;
          if (delay > 0) {
            LockSupport.parkNanos(delay);
          }
          out.write(buffer, 0, n);
          out.flush();
        }
      } catch (SocketException e) {
        // Cut, or closed by either side.
      } catch (IOException e) {
        // Same: the connection is over.
      } finally {
        closeQuietly(from);
        closeQuietly(to);
        sockets.remove(from);
        sockets.remove(to);
      }
    }, "fault-proxy-pump");
    t.setDaemon(true);
    t.start();
  }

  private static void closeQuietly(Socket s) {
    try {
      s.close();
    } catch (IOException e) {
      // Nothing to do.
    }
  }

  @Override
  public void close() {
    closed = true;
    heal();
    try {
      server.close();
    } catch (IOException e) {
      // Nothing to do.
    }
    for (Socket s : sockets) {
      closeQuietly(s);
    }
  }
}
