namespace LicenseConsole.Licensing;

public sealed partial class PostgresLedgerWriter
{
    // Every statement looks rows up by key from arrays: one plan fits every batch size and every table size.
    // LedgerSqlTests holds each table, column and enum value named here against the EF model.

    internal const string ReadConnectionsSql = """
        SELECT i.n, p.id, p.account_id, p.spec_code, s.validity_months, p.auto_renew, p.deleted_at IS NOT NULL,
               d.id, d.activation_count, d.activated_at, d.expires_at, d.lapsed_at, d.deleted_at, d.auto_renew, d.last_data_center, d.last_connected_at
        FROM unnest(@pk::text[], @dk::text[]) WITH ORDINALITY AS i(pk, dk, n)
        JOIN products p ON p.product_key = i.pk
        LEFT JOIN license_specs s ON s.code = p.spec_code
        LEFT JOIN devices d ON d.product_id = p.id AND d.device_key = i.dk
        """;

    // The time behind a sub-select: knowing it, the planner sized the backlog from statistics that lag behind a
    // burst of expiries and chose to sort it all instead of reading the renewal-queue index in order.
    internal const string ReadRenewalsDueSql = """
        SELECT d.id, d.account_id, d.product_id, d.activation_count, d.expires_at, coalesce(d.last_data_center, a.data_center_code),
               p.spec_code, s.validity_months, d.auto_renew, p.auto_renew
        FROM devices d
        JOIN products p ON p.id = d.product_id
        JOIN accounts a ON a.id = d.account_id
        LEFT JOIN license_specs s ON s.code = p.spec_code
        WHERE d.expires_at <= (SELECT @now) AND d.lapsed_at IS NULL AND d.deleted_at IS NULL AND p.deleted_at IS NULL
        ORDER BY d.expires_at
        LIMIT @limit
        """;

    internal const string RenewalTurnSql = "SELECT pg_try_advisory_xact_lock(@key)";

    // Devices first, in id order; pools after them, in product order; devices to create last, under their pool's
    // lock: every writer takes its locks in this order, so two writers never wait on each other in a cycle.
    internal const string LockDevicesSql = "SELECT id FROM devices WHERE id = ANY(@ids) ORDER BY id FOR UPDATE";

    internal const string LockPoolsSql = "SELECT product_id FROM product_pools WHERE product_id = ANY(@products) ORDER BY product_id FOR UPDATE";

    // Claims the existing devices still as they were read, grants each pool's remaining licenses to its requests in
    // their order, creates the new devices (with their license when granted), takes the licenses and records the
    // periods; an expired license that found the pool empty lapses when asked. Answers, per request, whether its
    // device could be claimed and the device it consumed for, and how many new devices existed already.
    internal const string GrantSql = """
        WITH request AS (
            SELECT * FROM unnest(@device::bigint[], @seen::int[], @product::bigint[], @account::uuid[], @key::text[], @spec::text[],
                                 @start::timestamptz[], @stop::timestamptz[], @kind::text[], @dc::text[], @connecting::boolean[], @lapse::text[])
                WITH ORDINALITY AS r(device_id, seen, product_id, account_id, device_key, spec_code, start_at, stop_at, kind, dc, connecting, lapse_reason, ord)
        ),
        candidate AS (
            SELECT r.* FROM request r
            WHERE r.device_id IS NULL OR EXISTS (SELECT 1 FROM devices d WHERE d.id = r.device_id AND d.activation_count = r.seen)
        ),
        granted AS (
            SELECT c.*
            FROM (SELECT candidate.*, row_number() OVER (PARTITION BY candidate.product_id ORDER BY candidate.ord) AS rank
                  FROM candidate WHERE candidate.spec_code IS NOT NULL) c
            JOIN product_pools pp ON pp.product_id = c.product_id
            JOIN products p ON p.id = c.product_id AND p.deleted_at IS NULL
            WHERE c.rank <= pp.total - pp.used
        ),
        created AS (
            INSERT INTO devices (account_id, product_id, device_key, auto_renew, created_at, activation_count,
                                 first_activated_at, activated_at, expires_at, last_data_center, last_connected_at)
            SELECT c.account_id, c.product_id, c.device_key, true, @now, CASE WHEN g.ord IS NULL THEN 0 ELSE 1 END,
                   g.start_at, g.start_at, g.stop_at, c.dc, @now
            FROM candidate c LEFT JOIN granted g ON g.ord = c.ord
            WHERE c.device_id IS NULL
            ORDER BY c.product_id, c.device_key
            ON CONFLICT (product_id, device_key) DO NOTHING
            RETURNING id, product_id, device_key
        ),
        claimed AS (
            UPDATE devices d
            SET activated_at = g.start_at, expires_at = g.stop_at, first_activated_at = coalesce(d.first_activated_at, g.start_at),
                lapsed_at = NULL, lapse_reason = NULL, activation_count = d.activation_count + 1,
                deleted_at = CASE WHEN g.connecting THEN NULL ELSE d.deleted_at END,
                last_data_center = CASE WHEN g.connecting THEN g.dc ELSE d.last_data_center END,
                last_connected_at = CASE WHEN g.connecting THEN @now ELSE d.last_connected_at END
            FROM granted g
            WHERE g.device_id IS NOT NULL AND d.id = g.device_id
            RETURNING d.id
        ),
        consumed AS (
            SELECT g.ord, g.account_id, g.product_id, coalesce(g.device_id, c.id) AS device_id, g.spec_code, g.start_at, g.stop_at, g.kind, g.dc
            FROM granted g
            LEFT JOIN created c ON g.device_id IS NULL AND c.product_id = g.product_id AND c.device_key = g.device_key
            WHERE g.device_id IS NOT NULL OR c.id IS NOT NULL
        ),
        taken AS (
            UPDATE product_pools pp SET used = pp.used + t.n
            FROM (SELECT product_id, count(*) AS n FROM consumed GROUP BY product_id) t
            WHERE pp.product_id = t.product_id
            RETURNING t.n
        ),
        recorded AS (
            INSERT INTO activations (account_id, product_id, device_id, spec_code, activated_at, expires_at, kind, data_center, recorded_at)
            SELECT account_id, product_id, device_id, spec_code, start_at, stop_at, kind, dc, @now FROM consumed
            RETURNING device_id
        ),
        lapsed AS (
            UPDATE devices d SET lapsed_at = d.expires_at, lapse_reason = c.lapse_reason
            FROM candidate c
            WHERE c.lapse_reason IS NOT NULL AND d.id = c.device_id AND NOT EXISTS (SELECT 1 FROM granted g WHERE g.ord = c.ord)
            RETURNING d.id
        )
        SELECT r.ord, c.ord IS NOT NULL, s.device_id,
               (SELECT count(*) FROM candidate WHERE device_id IS NULL) - (SELECT count(*) FROM created),
               (SELECT count(*) FROM claimed) + (SELECT count(*) FROM created c JOIN granted g ON g.device_id IS NULL AND g.product_id = c.product_id AND g.device_key = c.device_key),
               (SELECT coalesce(sum(n), 0) FROM taken), (SELECT count(*) FROM recorded), (SELECT count(*) FROM lapsed)
        FROM request r
        LEFT JOIN candidate c ON c.ord = r.ord
        LEFT JOIN consumed s ON s.ord = r.ord
        ORDER BY r.ord
        """;

    internal const string RestoreSql = """
        UPDATE devices d SET deleted_at = NULL, last_data_center = r.dc, last_connected_at = @now
        FROM unnest(@id::bigint[], @seen::int[], @dc::text[]) AS r(id, seen, dc)
        WHERE d.id = r.id AND d.deleted_at IS NOT NULL AND d.activation_count = r.seen AND d.expires_at > @now
        RETURNING d.id
        """;

    internal const string LapseSql = """
        UPDATE devices d SET lapsed_at = d.expires_at, lapse_reason = l.reason
        FROM unnest(@id::bigint[], @seen::int[], @reason::text[]) AS l(id, seen, reason)
        WHERE d.id = l.id AND d.lapsed_at IS NULL AND d.activation_count = l.seen AND d.expires_at <= @now
        RETURNING d.id
        """;

    internal const string SightingSql = """
        UPDATE devices d SET last_data_center = t.dc, last_connected_at = @now
        FROM unnest(@id::bigint[], @dc::text[]) AS t(id, dc)
        WHERE d.id = t.id
        """;
}
