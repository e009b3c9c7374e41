package org.longnet.tornado;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.longnet.engine.Slow;
import org.longnet.engine.TestDevices;
import org.longnet.engine.api.KernelView;
import uk.ac.manchester.tornado.api.TaskGraph;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.spi.ToolProvider;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A user's Maven project, as docs/tornadovm.md "Compiling your project" shows it (its pom and Java file are read from
 * that page), built with {@code mvn package} against the engine and tornado-api artifacts, then run on every test
 * device. The artifacts are this build's classes, jarred and laid out with their poms in a fresh local repository;
 * Maven's plugins come from the user's local repository where it has them, else from Maven Central.
 */
@Slow
class ExternalMavenProjectTest {
    private static final Path ROOT = Path.of(System.getProperty("longnet.root", "../.."));
    private static final String EXPECTED = "y[1] = 3.0, y[999] = 1999.0";

    @Test
    void theDocumentedProjectBuildsAndRunsOnEveryDevice(@TempDir Path tmp) throws Exception {
        String doc = Files.readString(ROOT.resolve("docs/tornadovm.md"));
        String section = doc.substring(doc.indexOf("## Compiling your project"));
        String pom = block(section, "xml");
        String version = match(pom, "<artifactId>longnet-tornado-api</artifactId>.*?<version>([^<]+)</version>");
        Path project = tmp.resolve("saxpy");
        Files.createDirectories(project.resolve("src/main/java/com/example"));
        Files.writeString(project.resolve("pom.xml"), pom);
        Files.writeString(project.resolve("src/main/java/com/example/Saxpy.java"), block(section, "java"));

        Path repository = tmp.resolve("repository");
        place(repository, "longnet-parent", version, ROOT.resolve("pom.xml"), null);
        Path engine = place(repository, "longnet-engine", version, ROOT.resolve("src/engine/pom.xml"), classes(KernelView.class));
        Path api = place(repository, "longnet-tornado-api", version, ROOT.resolve("src/tornado-api/pom.xml"), classes(TaskGraph.class));
        Path settings = tmp.resolve("settings.xml");
        Files.writeString(settings, settings(Path.of(System.getProperty("user.home"), ".m2/repository")));

        run(project, List.of("mvn", "-B", "-q", "-s", settings.toString(), "-Dmaven.repo.local=" + repository, "package"));
        for (String device : TestDevices.ids()) {
            String out = run(project, List.of(Path.of(System.getProperty("java.home"), "bin/java").toString(), "--enable-native-access=ALL-UNNAMED",
                    "--add-exports", "java.base/jdk.internal.vm=ALL-UNNAMED", "-Dlongnet.device=" + device, "-cp",
                    String.join(java.io.File.pathSeparator, project.resolve("target/saxpy-1.0.jar").toString(), api.toString(), engine.toString()),
                    "com.example.Saxpy"));
            assertEquals(EXPECTED, out.strip().lines().reduce((a, b) -> b).orElse(""), "on " + device + ":\n" + out);
        }
    }

    /** The first fenced block of {@code language} in {@code markdown}. */
    private static String block(String markdown, String language) {
        return match(markdown, "```" + language + "\n(.*?)```");
    }

    private static String match(String text, String regex) {
        Matcher m = Pattern.compile(regex, Pattern.DOTALL).matcher(text);
        assertTrue(m.find(), "docs/tornadovm.md has no match of " + regex);
        return m.group(1);
    }

    /** The folder or jar that holds {@code cls}: this build's classes of its module. */
    private static Path classes(Class<?> cls) throws URISyntaxException {
        return Path.of(cls.getProtectionDomain().getCodeSource().getLocation().toURI());
    }

    /**
     * Lays out artifact {@code org.longnet:artifact:version} in {@code repository} as {@code mvn install} would: its pom,
     * and (unless null) a jar of {@code classes}, a folder or a jar. Returns the jar, or the pom for a parent.
     */
    private static Path place(Path repository, String artifact, String version, Path pom, Path classes) throws IOException {
        Path folder = repository.resolve("org/longnet").resolve(artifact).resolve(version);
        Files.createDirectories(folder);
        String base = artifact + "-" + version;
        Files.copy(pom, folder.resolve(base + ".pom"));
        if (classes == null) {
            return folder.resolve(base + ".pom");
        }
        Path jar = folder.resolve(base + ".jar");
        if (Files.isDirectory(classes)) {
            StringWriter log = new StringWriter();
            int status = ToolProvider.findFirst("jar").orElseThrow().run(new PrintWriter(log), new PrintWriter(log), "--create", "--file",
                    jar.toString(), "-C", classes.toString(), ".");
            assertEquals(0, status, "jar of " + classes + ": " + log);
        } else {
            Files.copy(classes, jar);
        }
        return jar;
    }

    /** Maven settings that add the user's local repository, read as a remote one, before Maven Central. */
    private static String settings(Path userRepository) {
        String url = userRepository.toUri().toString();
        String repository = "<id>user-local</id><url>" + url + "</url>";
        return "<settings><profiles><profile><id>user-local</id>"
                + "<repositories><repository>" + repository + "</repository></repositories>"
                + "<pluginRepositories><pluginRepository>" + repository + "</pluginRepository></pluginRepositories>"
                + "</profile></profiles><activeProfiles><activeProfile>user-local</activeProfile></activeProfiles></settings>";
    }

    /** Runs {@code command} in {@code dir} with this JDK, and returns its output; fails with it unless it exits with 0. */
    private static String run(Path dir, List<String> command) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(new ArrayList<>(command)).directory(dir.toFile()).redirectErrorStream(true);
        builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
        Process p = builder.start();
        String out = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(5, TimeUnit.MINUTES), "still running: " + command);
        assertEquals(0, p.exitValue(), String.join(" ", command) + " failed:\n" + out);
        return out;
    }
}
