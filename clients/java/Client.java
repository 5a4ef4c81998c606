// A client for the backpropagation service on java.net.http (JDK 17, no libraries), and its examples.
//
//   java Client.java           the README's worked example and a request the service refuses
//   java Client.java mlp       a one-layer network's cost and gradients
//   java Client.java grade     the worked example graded, with the mistake the service names
//   java Client.java batch     a class graded at once, as JSON and as CSV
//   java Client.java variant   a student's variant drawn from a seed, and its reference answer
//   java Client.java render    the worked example's graph as SVG and PNG, a network's as DOT
//   java Client.java service   health, readiness, metrics and the contract's first line
//
// The service's base URL comes from GRADIENT_SERVICE_URL (default http://localhost:8000).

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

public class Client {
    private final String baseUrl;
    private final Duration timeout;
    private final HttpClient http;

    public Client(String baseUrl) {
        this(baseUrl, Duration.ofSeconds(60));
    }

    public Client(String baseUrl, Duration timeout) {
        this.baseUrl = baseUrl.replaceAll("/+$", "");
        this.timeout = timeout;
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10)).build();
    }

    /** POST /v1/graph: {expression} or {nodes}, with inputs; a field left out takes the service's default. */
    public Map<String, Object> graph(Map<String, ?> request) throws IOException, InterruptedException {
        return post("/v1/graph", request);
    }

    /** POST /v1/mlp: {layers, loss, inputs, targets, ...}. */
    public Map<String, Object> mlp(Map<String, ?> request) throws IOException, InterruptedException {
        return post("/v1/mlp", request);
    }

    /** POST /v1/grade: {problem: {graph} or {mlp}, answers, tolerance, weights, reveal, format}. */
    public Map<String, Object> grade(Map<String, ?> request) throws IOException, InterruptedException {
        return post("/v1/grade", request);
    }

    /** POST /v1/grade/batch: {problem, submissions, ...}. */
    public Map<String, Object> gradeBatch(Map<String, ?> request) throws IOException, InterruptedException {
        return post("/v1/grade/batch", request);
    }

    /** POST /v1/grade/batch answered as CSV text: one row per submission and item. */
    public String gradeBatchCsv(Map<String, ?> request) throws IOException, InterruptedException {
        return text(postOf("/v1/grade/batch", request).header("Accept", "text/csv"));
    }

    /** POST /v1/problems/generate: {template, seed}. */
    public Map<String, Object> generateProblem(Map<String, ?> request) throws IOException, InterruptedException {
        return post("/v1/problems/generate", request);
    }

    /** POST /v1/graph/render: a /v1/graph body plus format (svg, png or dot); the picture's bytes. */
    public byte[] graphRender(Map<String, ?> request) throws IOException, InterruptedException {
        return send(postOf("/v1/graph/render", request));
    }

    /** POST /v1/mlp/render: a /v1/mlp body plus format (svg, png or dot); the picture's bytes. */
    public byte[] mlpRender(Map<String, ?> request) throws IOException, InterruptedException {
        return send(postOf("/v1/mlp/render", request));
    }

    public Map<String, Object> healthz() throws IOException, InterruptedException {
        return Json.object(Json.parse(text(HttpRequest.newBuilder(uri("/healthz")).GET())));
    }

    public Map<String, Object> readyz() throws IOException, InterruptedException {
        return Json.object(Json.parse(text(HttpRequest.newBuilder(uri("/readyz")).GET())));
    }

    /** Prometheus metrics, as text. */
    public String metrics() throws IOException, InterruptedException {
        return text(HttpRequest.newBuilder(uri("/metrics")).GET());
    }

    /** The contract, openapi.yaml, as text. */
    public String openapi() throws IOException, InterruptedException {
        return text(HttpRequest.newBuilder(uri("/openapi.yaml")).GET());
    }

    private Map<String, Object> post(String path, Map<String, ?> request) throws IOException, InterruptedException {
        return Json.object(Json.parse(text(postOf(path, request))));
    }

    private HttpRequest.Builder postOf(String path, Map<String, ?> request) {
        return HttpRequest.newBuilder(uri(path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(Json.write(request)));
    }

    private URI uri(String path) {
        return URI.create(baseUrl + path);
    }

    private String text(HttpRequest.Builder builder) throws IOException, InterruptedException {
        return new String(send(builder), StandardCharsets.UTF_8);
    }

    private byte[] send(HttpRequest.Builder builder) throws IOException, InterruptedException {
        HttpResponse<byte[]> response = http.send(builder.timeout(timeout).build(), HttpResponse.BodyHandlers.ofByteArray());
        if (response.statusCode() < 400) {
            return response.body();
        }
        throw ServiceProblem.from(response.statusCode(), new String(response.body(), StandardCharsets.UTF_8));
    }

    /** A number of an answer: a JSON number, or one of the strings "NaN", "Infinity" and "-Infinity". */
    public static double number(Object value) {
        if (value instanceof Number n) {
            return n.doubleValue();
        }
        if (value instanceof String s && (s.equals("NaN") || s.equals("Infinity") || s.equals("-Infinity"))) {
            return Double.parseDouble(s);
        }
        throw new IllegalArgumentException("not a number: " + value);
    }

    /** An RFC 9457 problem the service answered: errors lists {location, message} for a 422. */
    public static class ServiceProblem extends RuntimeException {
        public final String type;
        public final String title;
        public final int status;
        public final String detail;
        public final List<Object> errors;

        public ServiceProblem(String type, String title, int status, String detail, List<Object> errors) {
            super(status + " " + title + ": " + detail);
            this.type = type;
            this.title = title;
            this.status = status;
            this.detail = detail;
            this.errors = errors;
        }

        static ServiceProblem from(int status, String body) {
            Map<String, Object> problem;
            try {
                problem = Json.parse(body) instanceof Map<?, ?> ? Json.object(Json.parse(body)) : Map.of();
            } catch (IllegalArgumentException notJson) { // not from the service itself: a proxy's error page, say
                problem = Map.of();
            }
            return new ServiceProblem(
                    problem.get("type") instanceof String s ? s : "about:blank",
                    problem.get("title") instanceof String s ? s : "HTTP " + status,
                    problem.get("status") instanceof Number n ? n.intValue() : status,
                    problem.get("detail") instanceof String s ? s : body.substring(0, Math.min(body.length(), 500)),
                    problem.get("errors") instanceof List<?> list ? new ArrayList<>(list) : null);
        }

        public Map<String, Object> toMap() {
            Map<String, Object> map = new LinkedHashMap<>();
            map.put("type", type);
            map.put("title", title);
            map.put("status", status);
            map.put("detail", detail);
            map.put("errors", errors);
            return map;
        }
    }

    /**
     * JSON as plain Java values: objects are LinkedHashMaps, arrays ArrayLists, numbers Longs (integers
     * that fit) or Doubles, and true, false and null are Boolean.TRUE, Boolean.FALSE and null. A double
     * that is not finite is written as the service writes it, as the string "NaN", "Infinity" or "-Infinity".
     */
    public static final class Json {
        private final String text;
        private int at;

        private Json(String text) {
            this.text = text;
        }

        public static Object parse(String text) {
            Json json = new Json(text);
            Object value = json.value();
            json.skipWhitespace();
            if (json.at != text.length()) {
                throw json.error("unexpected text after the value");
            }
            return value;
        }

        @SuppressWarnings("unchecked")
        static Map<String, Object> object(Object value) {
            if (value instanceof Map<?, ?>) {
                return (Map<String, Object>) value;
            }
            throw new IllegalArgumentException("expected a JSON object, got " + write(value));
        }

        public static String write(Object value) {
            StringBuilder out = new StringBuilder();
            write(value, out);
            return out.toString();
        }

        private static void write(Object value, StringBuilder out) {
            if (value == null || value instanceof Boolean) {
                out.append(value);
            } else if (value instanceof Double || value instanceof Float) {
                double d = ((Number) value).doubleValue();
                if (Double.isFinite(d)) {
                    out.append(d);
                } else {
                    writeString(Double.toString(d), out); // "NaN", "Infinity", "-Infinity"
                }
            } else if (value instanceof Number) {
                out.append(value);
            } else if (value instanceof CharSequence s) {
                writeString(s.toString(), out);
            } else if (value instanceof Map<?, ?> map) {
                out.append('{');
                String separator = "";
                for (Map.Entry<?, ?> entry : map.entrySet()) {
                    out.append(separator);
                    writeString(String.valueOf(entry.getKey()), out);
                    out.append(':');
                    write(entry.getValue(), out);
                    separator = ",";
                }
                out.append('}');
            } else if (value instanceof Iterable<?> items) {
                out.append('[');
                String separator = "";
                for (Object item : items) {
                    out.append(separator);
                    write(item, out);
                    separator = ",";
                }
                out.append(']');
            } else if (value instanceof double[] numbers) {
                List<Double> boxed = new ArrayList<>();
                for (double number : numbers) {
                    boxed.add(number);
                }
                write(boxed, out);
            } else if (value instanceof Object[] items) {
                write(List.of(items), out);
            } else {
                throw new IllegalArgumentException("cannot write " + value.getClass().getName() + " as JSON");
            }
        }

        private static void writeString(String s, StringBuilder out) {
            out.append('"');
            for (int i = 0; i < s.length(); i++) {
                char c = s.charAt(i);
                switch (c) {
                    case '"' -> out.append("\\\"");
                    case '\\' -> out.append("\\\\");
                    case '\n' -> out.append("\\n");
                    case '\r' -> out.append("\\r");
                    case '\t' -> out.append("\\t");
                    case '\b' -> out.append("\\b");
                    case '\f' -> out.append("\\f");
                    default -> {
                        if (c < 0x20) {
                            out.append(String.format("\\u%04x", (int) c));
                        } else {
                            out.append(c);
                        }
                    }
                }
            }
            out.append('"');
        }

        private Object value() {
            skipWhitespace();
            if (at >= text.length()) {
                throw error("unexpected end of the text");
            }
            char c = text.charAt(at);
            return switch (c) {
                case '{' -> objectValue();
                case '[' -> arrayValue();
                case '"' -> stringValue();
                case 't' -> literal("true", Boolean.TRUE);
                case 'f' -> literal("false", Boolean.FALSE);
                case 'n' -> literal("null", null);
                default -> {
                    if (c == '-' || (c >= '0' && c <= '9')) {
                        yield numberValue();
                    }
                    throw error("unexpected character '" + c + "'");
                }
            };
        }

        private Map<String, Object> objectValue() {
            Map<String, Object> map = new LinkedHashMap<>();
            at++; // {
            skipWhitespace();
            if (peek('}')) {
                return map;
            }
            do {
                skipWhitespace();
                if (at >= text.length() || text.charAt(at) != '"') {
                    throw error("expected a string as the name of a member");
                }
                String name = stringValue();
                skipWhitespace();
                expect(':');
                map.put(name, value());
                skipWhitespace();
            } while (peek(','));
            expect('}');
            return map;
        }

        private List<Object> arrayValue() {
            List<Object> list = new ArrayList<>();
            at++; // [
            skipWhitespace();
            if (peek(']')) {
                return list;
            }
            do {
                list.add(value());
                skipWhitespace();
            } while (peek(','));
            expect(']');
            return list;
        }

        private String stringValue() {
            StringBuilder out = new StringBuilder();
            at++; // "
            while (true) {
                if (at >= text.length()) {
                    throw error("unterminated string");
                }
                char c = text.charAt(at++);
                if (c == '"') {
                    return out.toString();
                }
                if (c < 0x20) {
                    throw error("a control character in a string");
                }
                if (c != '\\') {
                    out.append(c);
                    continue;
                }
                if (at >= text.length()) {
                    throw error("unterminated string");
                }
                char escaped = text.charAt(at++);
                switch (escaped) {
                    case '"', '\\', '/' -> out.append(escaped);
                    case 'b' -> out.append('\b');
                    case 'f' -> out.append('\f');
                    case 'n' -> out.append('\n');
                    case 'r' -> out.append('\r');
                    case 't' -> out.append('\t');
                    case 'u' -> { // a UTF-16 code unit; a surrogate pair arrives as two escapes, in order
                        if (at + 4 > text.length()) {
                            throw error("a \\u escape needs four hex digits");
                        }
                        try {
                            out.append((char) Integer.parseInt(text.substring(at, at + 4), 16));
                        } catch (NumberFormatException notHex) {
                            throw error("a \\u escape needs four hex digits");
                        }
                        at += 4;
                    }
                    default -> throw error("unknown escape \\" + escaped);
                }
            }
        }

        private Number numberValue() {
            int start = at;
            boolean integer = true;
            peek('-');
            if (peek('0')) {
                if (digits()) {
                    throw error("a number cannot start with 0");
                }
            } else if (!digits()) {
                throw error("expected a digit");
            }
            if (peek('.')) {
                integer = false;
                if (!digits()) {
                    throw error("expected a digit after the decimal point");
                }
            }
            if (at < text.length() && (text.charAt(at) == 'e' || text.charAt(at) == 'E')) {
                integer = false;
                at++;
                if (!peek('+')) {
                    peek('-');
                }
                if (!digits()) {
                    throw error("expected a digit in the exponent");
                }
            }
            String token = text.substring(start, at);
            if (integer) {
                try {
                    return Long.parseLong(token);
                } catch (NumberFormatException tooLarge) {
                    return Double.parseDouble(token);
                }
            }
            return Double.parseDouble(token);
        }

        private boolean digits() {
            int start = at;
            while (at < text.length() && text.charAt(at) >= '0' && text.charAt(at) <= '9') {
                at++;
            }
            return at > start;
        }

        private Object literal(String word, Object value) {
            if (!text.startsWith(word, at)) {
                throw error("unexpected text");
            }
            at += word.length();
            return value;
        }

        private boolean peek(char c) {
            if (at < text.length() && text.charAt(at) == c) {
                at++;
                return true;
            }
            return false;
        }

        private void expect(char c) {
            if (!peek(c)) {
                throw error("expected '" + c + "'");
            }
        }

        private void skipWhitespace() {
            while (at < text.length() && " \t\n\r".indexOf(text.charAt(at)) >= 0) {
                at++;
            }
        }

        private IllegalArgumentException error(String message) {
            return new IllegalArgumentException("invalid JSON at character " + at + ": " + message);
        }
    }

    public static void main(String[] args) throws IOException, InterruptedException {
        String url = System.getenv().getOrDefault("GRADIENT_SERVICE_URL", "http://localhost:8000");
        Client client = new Client(url);
        String example = args.length > 0 ? args[0] : "graph";
        switch (example) {
            case "graph" -> graphExample(client);
            case "mlp" -> mlpExample(client);
            case "grade" -> gradeExample(client);
            case "batch" -> batchExample(client);
            case "variant" -> variantExample(client);
            case "render" -> renderExample(client);
            case "service" -> serviceExample(client);
            default -> {
                System.err.println("usage: java Client.java [graph|mlp|grade|batch|variant|render|service]");
                System.exit(2);
            }
        }
    }

    /** A refused request: its status and title after `request`, then its problem+json body. */
    static void printProblem(String request, ServiceProblem problem) {
        System.out.println(request + ": " + problem.status + " " + problem.title);
        System.out.println(Json.write(problem.toMap()));
    }

    /** The README's worked example, z = (3x + 4y)^3 at x = 1, y = 2, and a request the service refuses. */
    static void graphExample(Client client) throws IOException, InterruptedException {
        Map<String, Object> answer = client.graph(Map.of("expression", "(3*x + 4*y)**3",
                "inputs", Map.of("x", 1, "y", 2)));
        System.out.println("POST /v1/graph (3*x + 4*y)**3 at x = 1, y = 2");
        System.out.println(Json.write(answer));
        try {
            client.graph(Map.of("expression", "(3*x + 4*y)**3", "inputs", Map.of("x", 1)));
        } catch (ServiceProblem problem) {
            printProblem("POST /v1/graph without a value for y", problem);
        }
    }

    /** One linear unit, y = 0.5 x1 - 0.25 x2 + 0.1, with mean squared error at x = (1, 2), target 1. */
    static Map<String, Object> oneLinearUnit() {
        Map<String, Object> network = new LinkedHashMap<>();
        network.put("layers", List.of(Map.of("units", 1, "activation", "linear")));
        network.put("loss", "mse");
        network.put("inputs", List.of(List.of(1, 2)));
        network.put("targets", List.of(List.of(1)));
        network.put("parameters", Map.of("W1", List.of(List.of(0.5, -0.25)), "b1", List.of(0.1)));
        return network;
    }

    /** One linear unit, y = 0.5 x1 - 0.25 x2 + 0.1, its mean squared error at x = (1, 2), target 1, and a
     *  request with a loss the service does not know. */
    static void mlpExample(Client client) throws IOException, InterruptedException {
        Map<String, Object> network = oneLinearUnit();
        System.out.println("POST /v1/mlp one linear unit at x = (1, 2), target 1");
        System.out.println(Json.write(client.mlp(network)));
        network.put("loss", "hinge");
        try {
            client.mlp(network);
        } catch (ServiceProblem problem) {
            printProblem("POST /v1/mlp with loss hinge", problem);
        }
    }

    /** The README's worked example, z = (3x + 4y)^3 at x = 1, y = 2, graded: a student who answers dz/dy = 363
     *  stopped the chain rule at 4y (dz/d(4y) = 363) and dropped its factor 4. Then an answer for an input the
     *  problem does not have. */
    static void gradeExample(Client client) throws IOException, InterruptedException {
        Map<String, Object> problem = Map.of("graph", Map.of("expression", "(3*x + 4*y)**3",
                "inputs", Map.of("x", 1, "y", 2)));
        Map<String, Object> graded = client.grade(Map.of("problem", problem,
                "answers", Map.of("value", 1331, "gradients", Map.of("x", 1089, "y", 363))));
        System.out.println("POST /v1/grade value 1331, dz/dx 1089, dz/dy 363");
        System.out.println(Json.write(graded));
        for (Object entry : (List<?>) graded.get("items")) {
            Map<String, Object> item = Json.object(entry);
            if (!Boolean.TRUE.equals(item.get("correct"))) {
                System.out.println(item.get("name") + " is wrong: " + item.get("mistake"));
            }
        }
        try {
            client.grade(Map.of("problem", problem, "answers", Map.of("gradients", Map.of("z", 1))));
        } catch (ServiceProblem refused) {
            System.out.println("POST /v1/grade with an answer for z: " + refused.status + " " + refused.title);
            System.out.println(Json.write(refused.toMap()));
        }
    }

    /** A class graded against the worked example: ada is right, bob dropped a chain-rule factor, and cy's
     *  answer has the wrong shape, so it is not graded. As JSON, then as CSV (one row per submission and item). */
    static void batchExample(Client client) throws IOException, InterruptedException {
        Map<String, Object> batch = new LinkedHashMap<>();
        batch.put("problem", Map.of("graph", Map.of("expression", "(3*x + 4*y)**3", "inputs", Map.of("x", 1, "y", 2))));
        batch.put("submissions", List.of(
                Map.of("id", "ada", "answers", Map.of("gradients", Map.of("x", 1089))),
                Map.of("id", "bob", "answers", Map.of("gradients", Map.of("x", 363))),
                Map.of("id", "cy", "answers", Map.of("gradients", Map.of("x", List.of(1089, 0))))));
        System.out.println("POST /v1/grade/batch ada, bob and cy");
        System.out.println(Json.write(client.gradeBatch(batch)));
        System.out.println("POST /v1/grade/batch ada, bob and cy, as CSV");
        System.out.println(client.gradeBatchCsv(batch).stripTrailing());
    }

    /** A student's variant of (a*x + b*y)**3, drawn from seed 4242, and its reference answer. */
    static void variantExample(Client client) throws IOException, InterruptedException {
        Map<String, Object> template = Map.of("graph", Map.of("expression", "(a*x + b*y)**3",
                "coefficients", Map.of("a", integers(1, 5), "b", integers(1, 5)),
                "inputs", Map.of("x", integers(-2, 2), "y", integers(-2, 2))));
        Map<String, Object> variant = client.generateProblem(Map.of("template", template, "seed", 4242));
        System.out.println("POST /v1/problems/generate (a*x + b*y)**3 with seed 4242");
        System.out.println(Json.write(variant));
        System.out.println("POST /v1/graph the variant");
        System.out.println(Json.write(client.graph(Json.object(Json.object(variant.get("problem")).get("graph")))));
    }

    private static Map<String, Object> integers(int low, int high) {
        return Map.of("low", low, "high", high, "integer", true);
    }

    /** The worked example's computational graph drawn as SVG and PNG, a one-unit network's as DOT text, and a
     *  picture format the service does not draw. */
    static void renderExample(Client client) throws IOException, InterruptedException {
        Map<String, Object> worked = new LinkedHashMap<>();
        worked.put("expression", "(3*x + 4*y)**3");
        worked.put("inputs", Map.of("x", 1, "y", 2));
        worked.put("format", "svg");
        byte[] svg = client.graphRender(worked);
        System.out.println("POST /v1/graph/render (3*x + 4*y)**3 at x = 1, y = 2, as SVG");
        System.out.println(described(svg) + ", contains 1331: "
                + new String(svg, StandardCharsets.UTF_8).contains("1331"));
        worked.put("format", "png");
        System.out.println("POST /v1/graph/render the same, as PNG");
        System.out.println(described(client.graphRender(worked)));

        Map<String, Object> network = oneLinearUnit();
        network.put("format", "dot");
        byte[] dot = client.mlpRender(network);
        System.out.println("POST /v1/mlp/render one linear unit at x = (1, 2), target 1, as DOT");
        System.out.println(described(dot) + ", contains the cost 0.81: "
                + new String(dot, StandardCharsets.UTF_8).contains("value 0.81"));

        worked.put("format", "gif");
        try {
            client.graphRender(worked);
        } catch (ServiceProblem problem) {
            printProblem("POST /v1/graph/render as GIF", problem);
        }
    }

    private static String described(byte[] picture) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(picture);
            return picture.length + " bytes, sha256 " + HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException required) { // every JDK has SHA-256
            throw new IllegalStateException(required);
        }
    }

    /** Is the service up and ready, what has it counted, and which contract does it serve? */
    static void serviceExample(Client client) throws IOException, InterruptedException {
        System.out.println("GET /healthz");
        System.out.println(Json.write(client.healthz()));
        System.out.println("GET /readyz");
        System.out.println(Json.write(client.readyz()));
        System.out.println("GET /metrics, its request counter:");
        System.out.println(client.metrics().lines().filter(line -> line.startsWith("# TYPE backprop_requests_total"))
                .findFirst().orElse(""));
        System.out.println("GET /openapi.yaml, its first line:");
        System.out.println(client.openapi().lines().findFirst().orElse(""));
    }
}
