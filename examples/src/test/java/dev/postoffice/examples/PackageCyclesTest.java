package dev.postoffice.examples;

import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.Dependency;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * No package cycles inside a module: a reader can learn a module package by package, bottom up, and
 * a package can move to a module of its own without dragging its dependents along.
 *
 * <p>One kind of edge is allowed to point back: from an implementation package {@code p.internal}
 * (or {@code p.internal.x}) to the package {@code p} whose public types it implements, the way
 * failsafe's {@code RetryPolicyImpl} implements {@code RetryPolicy} and reads its config.
 * Everything else, including edges between two internal packages, must be acyclic.
 *
 * <p>The classes come from the library modules on this module's test class path (compiled output,
 * so the check sees every dependency the compiler recorded: imports, fully qualified names,
 * constants excepted).
 */
@DisplayName("Package structure")
class PackageCyclesTest {
  /**
   * The source of a class names its module: its build directory in a reactor build
   * (".../postoffice-core/target/classes/...") or its jar ("postoffice-core-0.1.0.jar!/...").
   */
  private static final Pattern MODULE =
      Pattern.compile("/(postoffice-[a-z-]+?)(?:/target/|-\\d[^/]*\\.jar!)");

  private static JavaClasses classes;

  @BeforeAll
  static void importLibraryClasses() {
    classes =
        new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.postoffice");
  }

  @Test
  @DisplayName("the library modules are all on the class path, so the check sees them")
  void seesEveryLibraryModule() {
    assertThat(packagesByModule().keySet())
        .contains(
            "postoffice-api",
            "postoffice-coreapp",
            "postoffice-core",
            "postoffice-testkit",
            "postoffice-jdbc-store",
            "postoffice-rabbit-transport",
            "postoffice-sqs-transport",
            "postoffice-micrometer",
            "postoffice-admin");
  }

  @Test
  @DisplayName("no module has a cycle between its packages")
  void noPackageCycles() {
    List<String> cycles = new ArrayList<>();
    packagesByModule()
        .forEach(
            (module, graph) -> {
              for (Set<String> cycle : stronglyConnected(graph)) {
                cycles.add(module + ": " + cycle + " via " + edgesWithin(graph, cycle));
              }
            });
    assertThat(cycles).as("package cycles (break them, or move the shared type down)").isEmpty();
  }

  /** Module name to its package graph: package to the packages of the same module it depends on. */
  private static Map<String, Map<String, Set<String>>> packagesByModule() {
    Map<String, Map<String, Set<String>>> modules = new TreeMap<>();
    for (JavaClass origin : classes) {
      String module = moduleOf(origin);
      if (module == null) {
        continue;
      }
      Map<String, Set<String>> graph = modules.computeIfAbsent(module, m -> new TreeMap<>());
      graph.computeIfAbsent(origin.getPackageName(), p -> new TreeSet<>());
      for (Dependency dependency : origin.getDirectDependenciesFromSelf()) {
        JavaClass target = dependency.getTargetClass().getBaseComponentType();
        String from = origin.getPackageName();
        String to = target.getPackageName();
        if (!from.equals(to) && module.equals(moduleOf(target)) && !implementsItsApi(from, to)) {
          graph.get(from).add(to);
        }
      }
    }
    return modules;
  }

  /** The allowed back edge: {@code p.internal[.x]} to {@code p}. */
  private static boolean implementsItsApi(String from, String to) {
    return from.startsWith(to + ".internal.") || from.equals(to + ".internal");
  }

  private static String moduleOf(JavaClass type) {
    return type.getSource()
        .map(source -> MODULE.matcher(source.getUri().toString()))
        .filter(Matcher::find)
        .map(m -> m.group(1))
        .orElse(null);
  }

  private static List<String> edgesWithin(Map<String, Set<String>> graph, Set<String> cycle) {
    List<String> edges = new ArrayList<>();
    for (String from : cycle) {
      for (String to : graph.get(from)) {
        if (cycle.contains(to)) {
          edges.add(from + " -> " + to);
        }
      }
    }
    return edges;
  }

  /**
   * Tarjan's algorithm: every strongly connected component with more than one package is a cycle.
   */
  private static List<Set<String>> stronglyConnected(Map<String, Set<String>> graph) {
    Map<String, Integer> index = new HashMap<>();
    Map<String, Integer> low = new HashMap<>();
    Deque<String> stack = new ArrayDeque<>();
    Set<String> onStack = new TreeSet<>();
    List<Set<String>> components = new ArrayList<>();
    for (String start : graph.keySet()) {
      if (!index.containsKey(start)) {
        visit(start, graph, index, low, stack, onStack, components);
      }
    }
    return components;
  }

  private static void visit(
      String node,
      Map<String, Set<String>> graph,
      Map<String, Integer> index,
      Map<String, Integer> low,
      Deque<String> stack,
      Set<String> onStack,
      List<Set<String>> components) {
    index.put(node, index.size());
    low.put(node, index.get(node));
    stack.push(node);
    onStack.add(node);
    for (String next : graph.getOrDefault(node, Set.of())) {
      if (!index.containsKey(next)) {
        visit(next, graph, index, low, stack, onStack, components);
        low.put(node, Math.min(low.get(node), low.get(next)));
      } else if (onStack.contains(next)) {
        low.put(node, Math.min(low.get(node), index.get(next)));
      }
    }
    if (low.get(node).equals(index.get(node))) {
      Set<String> component = new TreeSet<>();
      String member;
      do {
        member = stack.pop();
        onStack.remove(member);
        component.add(member);
      } while (!member.equals(node));
      if (component.size() > 1) {
        components.add(component);
      }
    }
  }
}
