namespace LicenseConsole.Licensing;

public sealed partial class PostgresLedgerWriter
{
    // Every statement looks rows up by key from arrays: one plan fits every batch size and every table size.
    // LedgerSqlTests holds each table, column and enum value named here against the EF model.

    // The device is looked up in a subquery of its own (LIMIT 1 keeps it one), so that its product and key are both
    // conditions of the one index scan: joined in the open, a plan made on an empty table may look the device up by
    // product alone and filter the key, which reads the whole product once the product is large.
    internal const string ReadConnectionsSql = """
        SELECT i.n, p.id, p.account_id, p.spec_code, s.validity_months, p.auto_renew, p.deleted_at IS NOT NULL,
               d.id, d.activation_count, d.activated_at, d.expires_at, d.lapsed_at, d.deleted_at, d.auto_renew, d.last_data_center, d.last_connected_at
        FROM unnest(@pk::text[], @dk::text[]) WITH ORDINALITY AS i(pk, dk, n)
        JOIN products p ON p.product_key = i.pk
        LEFT JOIN license_specs s ON s.code = p.spec_code
        LEFT JOIN LATERAL (SELECT * FROM devices d WHERE d.product_id = p.id AND d.device_key = i.dk LIMIT 1) d ON true
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

    internal const string RenewalTurnSql = "SELECT pg_try_advisory_xact_lock(@turn)";

    // Devices first, in id order; then products, in id order; devices to create last, under their product's lock:
    // every writer takes its locks in this order, so two writers never wait on each other in a cycle. The product's
    // row, not its pool's, is the one locked: it stands for the pool (every writer of a pool locks it first), and
    // the foreign-key checks of the devices and activations written for it then find it locked already and write
    // no lock of their own.
    // The ids come sorted; each row is locked in a subquery of its own, one after the other in that order (and by its
    // key: an ordered scan of the whole table would fit "ORDER BY id" as well, and an empty table cannot tell them apart).
    internal const string LockDevicesSql = """
        SELECT d.id FROM unnest(@ids::bigint[]) AS i(id), LATERAL (SELECT id FROM devices WHERE id = i.id FOR UPDATE) d
        """;

    internal const string LockProductsSql = """
        SELECT p.id FROM unnest(@products::bigint[]) AS i(id), LATERAL (SELECT id FROM products WHERE id = i.id FOR NO KEY UPDATE) p
        """;

    // Claims the existing devices still as they were read, grants each pool's remaining licenses to its requests in
    // their order, creates the new devices (with their license when granted), takes the licenses and records the
    // periods; an expired license that found the pool empty lapses when asked. Tables are reached only by key (each
    // pool and product once per batch, however many of its devices the batch holds), never scanned or joined as a
    // whole, so the statement's plan is the same at every size. Answers one
    // row per request that could not be claimed, per device claimed and per device created; and the requests that
    // asked to create a device, which tells the conflicts apart.
    internal const string GrantSql = """
        WITH request AS (
            SELECT r.*, (r.device_id IS NULL OR EXISTS (SELECT 1 FROM devices d WHERE d.id = r.device_id AND d.activation_count = r.seen)) AS claimable
            FROM unnest(@device::bigint[], @seen::int[], @product::bigint[], @account::uuid[], @key::text[], @spec::text[],
                        @start::timestamptz[], @stop::timestamptz[], @kind::text[], @dc::text[], @connecting::boolean[], @lapse::text[])
                WITH ORDINALITY AS r(device_id, seen, product_id, account_id, device_key, spec_code, start_at, stop_at, kind, dc, connecting, lapse_reason, ord)
        ),
        pool AS (
            SELECT q.product_id, pp.total - pp.used AS remaining, p.deleted_at IS NULL AS live
            FROM (SELECT DISTINCT product_id FROM request) q
            JOIN LATERAL (SELECT deleted_at FROM products WHERE id = q.product_id) p ON true
            LEFT JOIN LATERAL (SELECT total, used FROM product_pools WHERE product_id = q.product_id) pp ON true
        ),
        ranked AS (
            SELECT r.*,
                   r.claimable AND r.spec_code IS NOT NULL AND coalesce(l.live, false)
                   AND row_number() OVER (PARTITION BY r.product_id, r.claimable AND r.spec_code IS NOT NULL ORDER BY r.ord) <= l.remaining AS granted
            FROM request r
            LEFT JOIN pool l ON l.product_id = r.product_id
        ),
        created AS (
            INSERT INTO devices (account_id, product_id, device_key, auto_renew, created_at, activation_count,
                                 first_activated_at, activated_at, expires_at, last_data_center, last_connected_at)
            SELECT g.account_id, g.product_id, g.device_key, true, @now, CASE WHEN g.granted THEN 1 ELSE 0 END,
                   CASE WHEN g.granted THEN g.start_at END, CASE WHEN g.granted THEN g.start_at END, CASE WHEN g.granted THEN g.stop_at END,
                   g.dc, @now
            FROM ranked g
            WHERE g.device_id IS NULL
            ORDER BY g.product_id, g.device_key
            ON CONFLICT (product_id, device_key) DO NOTHING
            RETURNING id, account_id, product_id, device_key, activation_count, activated_at, expires_at, last_data_center
        ),
        claimed AS (
            UPDATE devices d
            SET activated_at = g.start_at, expires_at = g.stop_at, first_activated_at = coalesce(d.first_activated_at, g.start_at),
                lapsed_at = NULL, lapse_reason = NULL, activation_count = d.activation_count + 1,
                deleted_at = CASE WHEN g.connecting THEN NULL ELSE d.deleted_at END,
                last_data_center = CASE WHEN g.connecting THEN g.dc ELSE d.last_data_center END,
                last_connected_at = CASE WHEN g.connecting THEN @now ELSE d.last_connected_at END
            FROM ranked g
            WHERE g.granted AND g.device_id IS NOT NULL AND d.id = g.device_id
            RETURNING d.id, g.account_id, g.product_id, g.spec_code, g.start_at, g.stop_at, g.kind, g.dc
        ),
        consumed AS (
            SELECT product_id, account_id, id, spec_code, start_at, stop_at, kind, dc FROM claimed
            UNION ALL
            SELECT c.product_id, c.account_id, c.id, p.spec_code, c.activated_at, c.expires_at, @first, c.last_data_center
            FROM created c JOIN products p ON p.id = c.product_id
            WHERE c.activation_count = 1
        ),
        taken AS (
            UPDATE product_pools pp SET used = pp.used + t.n
            FROM (SELECT product_id, count(*) AS n FROM consumed GROUP BY product_id) t
            WHERE pp.product_id = t.product_id
            RETURNING t.n
        ),
        recorded AS (
            INSERT INTO activations (account_id, product_id, device_id, spec_code, activated_at, expires_at, kind, data_center, recorded_at)
            SELECT account_id, product_id, id, spec_code, start_at, stop_at, kind, dc, @now FROM consumed
            RETURNING id
        ),
        lapsed AS (
            UPDATE devices d SET lapsed_at = d.expires_at, lapse_reason = g.lapse_reason
            FROM ranked g
            WHERE g.lapse_reason IS NOT NULL AND g.claimable AND NOT g.granted AND d.id = g.device_id
            RETURNING d.id
        )
        SELECT 'unclaimable'::text, ord::bigint, NULL::bigint, NULL::text, NULL::int FROM request WHERE NOT claimable
        UNION ALL SELECT 'claimed', NULL, id, NULL, NULL FROM claimed
        UNION ALL SELECT 'created', product_id, id, device_key, activation_count FROM created
        UNION ALL SELECT 'asked', count(*), NULL, NULL, NULL FROM request WHERE device_id IS NULL
        UNION ALL SELECT 'taken', (SELECT coalesce(sum(n), 0) FROM taken)::bigint, (SELECT count(*) FROM recorded), NULL, NULL
        """;

    // Restores and lapses are guarded by the activation count alone: while it is as read, so is the period. A guard
    // on the expiry as well would offer the planner an index on expiry, and a plan made on an empty table may take it.
    internal const string RestoreSql = """
        UPDATE devices d SET deleted_at = NULL, last_data_center = r.dc, last_connected_at = @now
        FROM unnest(@id::bigint[], @seen::int[], @dc::text[]) AS r(id, seen, dc)
        WHERE d.id = r.id AND d.deleted_at IS NOT NULL AND d.activation_count = r.seen
        RETURNING d.id
        """;

    internal const string LapseSql = """
        UPDATE devices d SET lapsed_at = d.expires_at, lapse_reason = l.reason
        FROM unnest(@id::bigint[], @seen::int[], @reason::text[]) AS l(id, seen, reason)
        WHERE d.id = l.id AND d.lapsed_at IS NULL AND d.activation_count = l.seen
        RETURNING d.id
        """;

    internal const string SightingSql = """
        UPDATE devices d SET last_data_center = t.dc, last_connected_at = @now
        FROM unnest(@id::bigint[], @dc::text[]) AS t(id, dc)
        WHERE d.id = t.id
        """;
}
