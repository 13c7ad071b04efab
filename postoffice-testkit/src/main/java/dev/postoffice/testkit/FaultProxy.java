package dev.postoffice.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A TCP proxy on loopback between PostOffice and a service (a broker, a database), with the network
 * faults a test injects: links cut (with new connections accepted, or refused until healed),
 * replies held (bytes from the service stall, so confirms and deliveries wait), a black hole (no
 * byte passes either way, as in a partition) and added latency per chunk. Plain sockets and two
 * daemon threads per link: fine for the few connections a pool or a broker client opens.
 *
 * <pre>{@code
 * try (FaultProxy proxy = FaultProxy.to("127.0.0.1", 5672)) {
 *   connect("127.0.0.1", proxy.port());
 *   proxy.cut();
 * }
 * }</pre>
 */
public final class FaultProxy implements AutoCloseable {
  private static final long GATE_WAIT_MILLIS = 10;

  private final ServerSocket server;
  private final String targetHost;
  private final int targetPort;
  private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
  private final AtomicInteger accepted = new AtomicInteger();
  private final Object gate = new Object();
  private volatile long latencyNanos;
  private volatile boolean refusing;
  private volatile boolean repliesHeld;
  private volatile boolean blackHole;
  private volatile boolean closed;

  private FaultProxy(String targetHost, int targetPort) throws IOException {
    this.targetHost = targetHost;
    this.targetPort = targetPort;
    this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    Thread acceptor = new Thread(this::acceptLoop, "fault-proxy-accept-" + targetPort);
    acceptor.setDaemon(true);
    acceptor.start();
  }

  /**
   * Starts a proxy to a service.
   *
   * @param host the service's host
   * @param port the service's port
   * @return a proxy already accepting connections on {@link #port()}
   * @throws IOException if no local port could be opened
   * @throws NullPointerException if host is null
   */
  public static FaultProxy to(String host, int port) throws IOException {
    return new FaultProxy(Objects.requireNonNull(host, "host cannot be null"), port);
  }

  /**
   * @return the loopback port to connect to instead of the service's
   */
  public int port() {
    return server.getLocalPort();
  }

  /**
   * @return how many client connections were accepted so far (refused ones not counted)
   */
  public int accepted() {
    return accepted.get();
  }

  /** Closes every open link, as a network failure would; new connections are still accepted. */
  public void cut() {
    for (Socket s : sockets) {
      closeQuietly(s);
    }
    sockets.clear();
  }

  /**
   * Closes every open link and refuses new connections until {@link #heal()}: the service is gone.
   */
  public void cutAndRefuse() {
    refusing = true;
    cut();
  }

  /**
   * Stops or resumes forwarding from the service to the clients on every link, so replies (a
   * broker's confirms and deliveries) stall while requests still arrive.
   *
   * @param hold whether to hold the replies from now on
   */
  public void holdReplies(boolean hold) {
    repliesHeld = hold;
    openGate();
  }

  /**
   * Stops every byte, both ways, on open and new links, until {@link #heal()}: a network partition.
   */
  public void blackHole() {
    blackHole = true;
  }

  /**
   * Adds a delay to every chunk forwarded, each way, until {@link #heal()}.
   *
   * @param delay the delay per chunk; zero for none
   * @throws NullPointerException if delay is null
   */
  public void latency(Duration delay) {
    latencyNanos = Objects.requireNonNull(delay, "delay cannot be null").toNanos();
  }

  /** Ends every fault: no latency, no refusal, no black hole, no held replies. */
  public void heal() {
    latencyNanos = 0;
    refusing = false;
    blackHole = false;
    repliesHeld = false;
    openGate();
  }

  private void openGate() {
    synchronized (gate) {
      gate.notifyAll();
    }
  }

  private void acceptLoop() {
    while (!closed) {
      Socket client;
      try {
        client = server.accept();
      } catch (IOException e) {
        if (closed) {
          return;
        }
        continue;
      }
      if (refusing) {
        closeQuietly(client);
        continue;
      }
      try {
        Socket service = new Socket(targetHost, targetPort);
        client.setTcpNoDelay(true);
        service.setTcpNoDelay(true);
        sockets.add(client);
        sockets.add(service);
        accepted.incrementAndGet();
        pump(client, service, false);
        pump(service, client, true);
      } catch (IOException e) {
        // The service is unreachable: the client sees its connection closed.
        closeQuietly(client);
      }
    }
  }

  private void pump(Socket from, Socket to, boolean reply) {
    Thread t =
        new Thread(
            () -> {
              byte[] buffer = new byte[64 * 1024];
              try (InputStream in = from.getInputStream();
                  OutputStream out = to.getOutputStream()) {
                int n;
                while ((n = in.read(buffer)) >= 0) {
                  awaitPassage(from, reply);
                  long delay = latencyNanos;
                  if (delay > 0) {
                    TimeUnit.NANOSECONDS.sleep(delay);
                  }
                  out.write(buffer, 0, n);
                  out.flush();
                }
              } catch (IOException | InterruptedException e) {
                // The link was cut, or closed by either side.
              } finally {
                closeQuietly(from);
                closeQuietly(to);
                sockets.remove(from);
                sockets.remove(to);
              }
            },
            "fault-proxy-pump-" + targetPort);
    t.setDaemon(true);
    t.start();
  }

  /**
   * Holds a read chunk while a fault stops this direction, until the fault ends or the link closes.
   */
  private void awaitPassage(Socket from, boolean reply) throws InterruptedException {
    synchronized (gate) {
      while ((blackHole || (reply && repliesHeld)) && !closed && !from.isClosed()) {
        gate.wait(GATE_WAIT_MILLIS);
      }
    }
  }

  private static void closeQuietly(Socket s) {
    try {
      s.close();
    } catch (IOException ignored) {
      // already closed
    }
  }

  /** Ends every fault, stops accepting and closes every link. */
  @Override
  public void close() {
    closed = true;
    heal();
    closeQuietly(server);
    cut();
  }

  private static void closeQuietly(ServerSocket s) {
    try {
      s.close();
    } catch (IOException ignored) {
      // already closed
    }
  }
}
