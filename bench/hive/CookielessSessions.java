import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Proof B of issue 22: the Hive JDBC driver 4.0.1 (standalone jar, HTTP transport) behind a proxy that
 * deletes every Set-Cookie, so the driver never holds the affinity cookie. SESSIONS sessions, each a
 * distinct Basic user, each with session state (a SET variable and a temporary table); their statements
 * are interleaved so a balancer that moves a request lands it on an instance that does not know the
 * session. Run with the driver jar only:
 *
 * <pre>java -cp hive-jdbc-4.0.1-standalone.jar CookielessSessions.java URL SESSIONS ROUNDS EXPECT [COMMAND]</pre>
 *
 * EXPECT is {@code kept} (no statement may fail), {@code broken} (the control: some session must
 * fail with Invalid SessionHandle) or {@code survivors COMMAND} (half-way COMMAND kills the first
 * session's instance, {port} in it replaced; the sessions elsewhere must keep state and instance). Prints one line per session and a summary; exits 1 when EXPECT is
 * not met.
 */
public class CookielessSessions {

    public static void main(String[] args) throws Exception {
        String url = args[0];
        int sessions = Integer.parseInt(args[1]);
        int rounds = Integer.parseInt(args[2]);
        boolean expectKept = "kept".equals(args[3]);
        // survivors: half-way, args[4] (with {port} replaced by the first session's HiveServer2 port)
        // kills that instance; every session on another instance must keep its state and not move
        boolean expectSurvivors = "survivors".equals(args[3]);
        List<Client> clients = new ArrayList<>();
        int openFailures = 0;
        int invalidHandle = 0;
        int otherErrors = 0;
        for (int i = 0; i < sessions; i++) {
            Client client = new Client("proof-b-user-" + i);
            try {
                client.open(url);
                clients.add(client);
            } catch (SQLException ex) {
                openFailures++;
                if (String.valueOf(ex.getMessage()).contains("Invalid SessionHandle")) {
                    invalidHandle++;
                } else {
                    otherErrors++;
                }
                System.out.println(client.user + ": could not set up its session: " + oneLine(ex));
            }
        }
        String victim = null;
        for (int round = 0; round < rounds; round++) {
            if (expectSurvivors && round == rounds / 2 && !clients.get(0).instances.isEmpty()) {
                victim = clients.get(0).instances.first();
                String command = args[4].replace("{port}", victim);
                System.out.println("after " + round + " rounds: " + command);
                new ProcessBuilder("bash", "-c", command).inheritIO().start().waitFor();
            }
            for (Client client : clients) {
                client.statement(round);
            }
        }
        int ok = 0;
        Map<String, Integer> perInstance = new TreeMap<>();
        for (Client client : clients) {
            System.out.println(client.summary());
            ok += client.ok;
            invalidHandle += client.invalidHandle;
            otherErrors += client.otherErrors;
            for (String instance : client.instances) {
                perInstance.merge(instance, 1, Integer::sum);
            }
            client.close();
        }
        int statements = sessions * rounds;
        System.out.printf(
                "%d sessions x %d statements: %d ok, %d Invalid SessionHandle, %d other errors, %d sessions not set up"
                        + " (set-up included in the errors);"
                        + " sessions per HiveServer2 port %s%n",
                sessions, rounds, ok, invalidHandle, otherErrors, openFailures, perInstance);
        boolean kept = ok == statements && openFailures == 0;
        boolean broken = invalidHandle > 0 || openFailures > 0;
        String finalVictim = victim;
        List<Client> others = clients.stream()
                .filter(client -> finalVictim == null || !client.instances.contains(finalVictim))
                .toList();
        boolean survived = others.stream().allMatch(client -> client.ok == rounds && client.instances.size() == 1);
        boolean met = expectSurvivors ? survived && openFailures == 0 && others.size() < clients.size()
                : expectKept ? kept : broken;
        System.out.println((met ? "as expected: " : "NOT as expected: ")
                + (expectSurvivors
                        ? others.size() + " sessions on other instances than " + finalVictim
                                + " kept their state and instance; " + (clients.size() - others.size())
                                + " lost theirs with it"
                        : expectKept ? "every session kept its state" : "sessions broke without affinity"));
        System.exit(met ? 0 : 1);
    }

    static String oneLine(Throwable ex) {
        String message = String.valueOf(ex.getMessage()).replace('\n', ' ');
        return message.length() > 160 ? message.substring(0, 160) : message;
    }

    static final class Client {
        final String user;
        final String table;
        final TreeSet<String> instances = new TreeSet<>();
        int ok;
        int invalidHandle;
        int otherErrors;
        String firstError;
        Connection connection;

        Client(String user) {
            this.user = user;
            this.table = "tmp_" + user.replace('-', '_');
        }

        void open(String url) throws SQLException {
            this.connection = DriverManager.getConnection(url, this.user, "x");
            try (Statement statement = this.connection.createStatement()) {
                statement.execute("SET proof.owner=" + this.user);
                statement.execute("CREATE TEMPORARY TABLE " + this.table + " (a INT)");
            }
        }

        /** Reads the session's variable and temporary table back, and which HiveServer2 answered. */
        void statement(int round) {
            try (Statement statement = this.connection.createStatement()) {
                String owner = single(statement, "SET proof.owner");
                if (!owner.equals("proof.owner=" + this.user)) {
                    throw new SQLException("session variable lost: " + owner);
                }
                single(statement, "DESCRIBE " + this.table);
                this.instances.add(single(statement, "SET hive.server2.thrift.http.port").replaceAll(".*=", ""));
                this.ok++;
            } catch (SQLException ex) {
                if (String.valueOf(ex.getMessage()).contains("Invalid SessionHandle")) {
                    this.invalidHandle++;
                } else {
                    this.otherErrors++;
                }
                if (this.firstError == null) {
                    this.firstError = "round " + round + ": " + oneLine(ex);
                }
            }
        }

        static String single(Statement statement, String sql) throws SQLException {
            try (ResultSet rows = statement.executeQuery(sql)) {
                if (!rows.next()) {
                    throw new SQLException("no row: " + sql);
                }
                return rows.getString(1);
            }
        }

        String summary() {
            return this.user + ": " + this.ok + " ok, " + this.invalidHandle + " Invalid SessionHandle, "
                    + this.otherErrors + " other errors, on port(s) " + this.instances
                    + (this.firstError == null ? "" : "; first error " + this.firstError);
        }

        void close() {
            try {
                this.connection.close();
            } catch (SQLException ex) {
                // a broken session may not close: nothing to keep
            }
        }
    }
}
