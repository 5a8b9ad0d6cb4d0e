using Microsoft.Data.Sqlite;
using MySqlConnector;
using Tccg.Core.Configuration;

namespace Tccg.Storage.Database;

/// <summary>
/// Everything that differs between SQLite and MariaDB/MySQL, kept in one place. All other SQL in
/// this project is written once and runs on both.
/// </summary>
public abstract class SqlDialect
{
    public static readonly SqlDialect Sqlite = new SqliteDialect();
    public static readonly SqlDialect MySql = new MySqlDialect();

    public static SqlDialect For(DatabaseProvider provider) =>
        provider == DatabaseProvider.MySql ? MySql : Sqlite;

    public abstract DatabaseProvider Provider { get; }

    /// <summary>Column definition of an auto-numbered 64-bit primary key.</summary>
    internal abstract string AutoId { get; }

    /// <summary>Appended to every CREATE TABLE.</summary>
    internal abstract string TableOptions { get; }

    /// <summary>Long text (JSON documents, error messages).</summary>
    internal abstract string LongText { get; }

    /// <summary>The "on duplicate key" tail of an INSERT that updates <paramref name="columns"/> from the new row.</summary>
    internal abstract string UpsertTail(string conflictColumns, IEnumerable<string> columns);


    /// <summary>Statements that create the triggers keeping <c>clip_counts</c> in step with <c>clips</c>.</summary>
    internal abstract IReadOnlyList<string> ClipCountTriggers { get; }

    /// <summary>
    /// Migration 2. On SQLite the bulk upsert counts the clips it inserts (far cheaper than a trigger per row,
    /// and exact because SQLite has one writer), so the insert trigger goes; MariaDB keeps its triggers.
    /// </summary>
    internal abstract IReadOnlyList<string> ClipCountTriggerFixes { get; }

    internal abstract string DropIndex(string index, string table);

    /// <summary>
    /// Migration 12: what finds clips by text in their title. SQLite: an FTS5 trigram index of the titles
    /// (<c>clip_titles</c>, external content, kept in step by triggers); MariaDB: nothing (a LIKE over the walked rows).
    /// </summary>
    internal abstract IReadOnlyList<string> ClipTitleSearch { get; }

    /// <summary>
    /// <c>column LIKE @param ESCAPE '!'</c>, case-insensitive on both databases (SQLite's LIKE folds ASCII letters;
    /// MariaDB's clips table has a binary collation, so the comparison names a case-insensitive one).
    /// </summary>
    internal abstract string LikeIgnoringCase(string column, string parameter);

    /// <summary>
    /// Migration 15: the title keys (<see cref="Clips.TitleKeys"/>). SQLite: <c>clip_title_keys</c> in date order (and by game
    /// with both sort keys), filled from every title and kept in step by triggers calling the <c>tccg_title_keys</c>
    /// function (registered on each connection by <see cref="TccgDatabase.OpenAsync"/>); MariaDB: nothing.
    /// </summary>
    internal abstract IReadOnlyList<string> ClipTitleKeys { get; }

    /// <summary>True when <see cref="ClipTitleSearch"/> made the <c>clip_titles</c> trigram table.</summary>
    public abstract bool HasTitleTrigrams { get; }

    /// <summary>Adds a column; re-runnable on MariaDB, whose DDL is not transactional.</summary>
    internal abstract string AddColumn(string table, string columnDefinition);

    /// <summary>An SQL expression for 32 random hex characters (a fresh value per row).</summary>
    internal abstract string RandomHex32 { get; }

    /// <summary>True when <paramref name="e"/> reports a UNIQUE constraint violation.</summary>
    internal abstract bool IsUniqueViolation(Exception e);

    /// <summary>The server chose this transaction as a deadlock victim; running it again is safe.</summary>
    internal abstract bool IsDeadlock(Exception e);

    /// <summary>Replaces <c>{id}</c>, <c>{opts}</c> and <c>{longtext}</c> in a schema statement.</summary>
    internal string Expand(string ddl) => ddl
        .Replace("{id}", AutoId, StringComparison.Ordinal)
        .Replace("{opts}", TableOptions, StringComparison.Ordinal)
        .Replace("{longtext}", LongText, StringComparison.Ordinal);

    private sealed class SqliteDialect : SqlDialect
    {
        public override DatabaseProvider Provider => DatabaseProvider.Sqlite;
        internal override string AutoId => "INTEGER PRIMARY KEY";
        internal override string TableOptions => "";
        internal override string LongText => "TEXT";

        internal override string UpsertTail(string conflictColumns, IEnumerable<string> columns) =>
            $"ON CONFLICT({conflictColumns}) DO UPDATE SET " + string.Join(", ", columns.Select(c => $"{c} = excluded.{c}"));

        internal override IReadOnlyList<string> ClipCountTriggers =>
        [
            """
            CREATE TRIGGER IF NOT EXISTS clips_count_insert AFTER INSERT ON clips BEGIN
              INSERT INTO clip_counts (game_id, status, n) VALUES (NEW.game_id, NEW.status, 1)
                ON CONFLICT(game_id, status) DO UPDATE SET n = n + 1;
            END
            """,
            """
            CREATE TRIGGER IF NOT EXISTS clips_count_update AFTER UPDATE OF status, game_id ON clips
            WHEN OLD.status <> NEW.status OR OLD.game_id <> NEW.game_id BEGIN
              UPDATE clip_counts SET n = n - 1 WHERE game_id = OLD.game_id AND status = OLD.status;
              INSERT INTO clip_counts (game_id, status, n) VALUES (NEW.game_id, NEW.status, 1)
                ON CONFLICT(game_id, status) DO UPDATE SET n = n + 1;
            END
            """,
            """
            CREATE TRIGGER IF NOT EXISTS clips_count_delete AFTER DELETE ON clips BEGIN
              UPDATE clip_counts SET n = n - 1 WHERE game_id = OLD.game_id AND status = OLD.status;
            END
            """,
        ];

        internal override IReadOnlyList<string> ClipCountTriggerFixes => ["DROP TRIGGER IF EXISTS clips_count_insert"];

        internal override IReadOnlyList<string> ClipTitleSearch =>
        [
            "CREATE VIRTUAL TABLE IF NOT EXISTS clip_titles USING fts5(title, content='clips', content_rowid='id', tokenize='trigram')",
            "INSERT INTO clip_titles (clip_titles) VALUES ('rebuild')",
            """
            CREATE TRIGGER IF NOT EXISTS clips_titles_insert AFTER INSERT ON clips BEGIN
              INSERT INTO clip_titles (rowid, title) VALUES (NEW.id, NEW.title);
            END
            """,
            """
            CREATE TRIGGER IF NOT EXISTS clips_titles_delete AFTER DELETE ON clips BEGIN
              INSERT INTO clip_titles (clip_titles, rowid, title) VALUES ('delete', OLD.id, OLD.title);
            END
            """,
            """
            CREATE TRIGGER IF NOT EXISTS clips_titles_update AFTER UPDATE OF title ON clips WHEN OLD.title <> NEW.title BEGIN
              INSERT INTO clip_titles (clip_titles, rowid, title) VALUES ('delete', OLD.id, OLD.title);
              INSERT INTO clip_titles (rowid, title) VALUES (NEW.id, NEW.title);
            END
            """,
        ];

        // A clip's title keys, as migration 15's triggers add and remove them (NEW: the row as it is; OLD: as it was).
        private const string InsertTitleKeys =
            "INSERT OR IGNORE INTO clip_title_keys (title_key, created_at, clip_id, game_id, view_count) " +
            "SELECT value, NEW.created_at, NEW.id, NEW.game_id, NEW.view_count FROM json_each(tccg_title_keys(NEW.title));";

        private const string DeleteTitleKeys =
            "DELETE FROM clip_title_keys WHERE title_key IN (SELECT value FROM json_each(tccg_title_keys(OLD.title))) " +
            "AND created_at = OLD.created_at AND clip_id = OLD.id;";

        internal override IReadOnlyList<string> ClipTitleKeys =>
        [
            // By key in date order (the walk over every game); game and views on the entries, and a game's keys with both
            // sort keys, for the walk within a game.
            """
            CREATE TABLE IF NOT EXISTS clip_title_keys (
              title_key TEXT NOT NULL,
              created_at BIGINT NOT NULL,
              clip_id BIGINT NOT NULL,
              game_id VARCHAR(64) NOT NULL,
              view_count INT NOT NULL,
              PRIMARY KEY (title_key, created_at, clip_id)
            ) WITHOUT ROWID
            """,
            // Sorted first, and the second index after: appending to a B-tree in key order is far cheaper than a million
            // inserts at random places.
            "INSERT OR IGNORE INTO clip_title_keys (title_key, created_at, clip_id, game_id, view_count) " +
            "SELECT k.value, c.created_at, c.id, c.game_id, c.view_count FROM clips c, json_each(tccg_title_keys(c.title)) k ORDER BY 1, 2, 3",
            "CREATE INDEX IF NOT EXISTS ix_clip_title_keys_game ON clip_title_keys (game_id, title_key, view_count, created_at)",
            $"CREATE TRIGGER IF NOT EXISTS clips_title_keys_insert AFTER INSERT ON clips BEGIN {InsertTitleKeys} END",
            $"CREATE TRIGGER IF NOT EXISTS clips_title_keys_delete AFTER DELETE ON clips BEGIN {DeleteTitleKeys} END",
            "CREATE TRIGGER IF NOT EXISTS clips_title_keys_update AFTER UPDATE OF title, created_at, game_id ON clips " +
            $"WHEN OLD.title IS NOT NEW.title OR OLD.created_at IS NOT NEW.created_at OR OLD.game_id IS NOT NEW.game_id BEGIN {DeleteTitleKeys} {InsertTitleKeys} END",
            // A re-found clip's new view count (its title, date and game unchanged) moves its entries in the game's index.
            """
            CREATE TRIGGER IF NOT EXISTS clips_title_keys_views AFTER UPDATE OF view_count ON clips
            WHEN OLD.view_count IS NOT NEW.view_count AND OLD.title IS NEW.title AND OLD.created_at IS NEW.created_at AND OLD.game_id IS NEW.game_id BEGIN
              UPDATE clip_title_keys SET view_count = NEW.view_count
                WHERE title_key IN (SELECT value FROM json_each(tccg_title_keys(NEW.title))) AND created_at = NEW.created_at AND clip_id = NEW.id;
            END
            """,
        ];

        public override bool HasTitleTrigrams => true;

        internal override string LikeIgnoringCase(string column, string parameter) => $"{column} LIKE {parameter} ESCAPE '!'";

        internal override string DropIndex(string index, string table) => $"DROP INDEX IF EXISTS {index}";

        internal override string AddColumn(string table, string columnDefinition) => $"ALTER TABLE {table} ADD COLUMN {columnDefinition}";

        internal override string RandomHex32 => "lower(hex(randomblob(16)))";

        internal override bool IsUniqueViolation(Exception e) =>
            e is SqliteException { SqliteErrorCode: 19 }; // SQLITE_CONSTRAINT (UNIQUE and PRIMARY KEY)

        // SQLite has one writer at a time (BEGIN IMMEDIATE + busy_timeout): no deadlock victims.
        internal override bool IsDeadlock(Exception e) => false;
    }

    private sealed class MySqlDialect : SqlDialect
    {
        public override DatabaseProvider Provider => DatabaseProvider.MySql;
        internal override string AutoId => "BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY";

        // Binary collation: identifiers such as Twitch clip slugs are case-sensitive, as on SQLite.
        internal override string TableOptions => "ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin";
        internal override string LongText => "LONGTEXT";

        internal override string UpsertTail(string conflictColumns, IEnumerable<string> columns) =>
            "ON DUPLICATE KEY UPDATE " + string.Join(", ", columns.Select(c => $"{c} = VALUES({c})"));


        internal override IReadOnlyList<string> ClipCountTriggers =>
        [
            "DROP TRIGGER IF EXISTS clips_count_insert",
            """
            CREATE TRIGGER clips_count_insert AFTER INSERT ON clips FOR EACH ROW
              INSERT INTO clip_counts (game_id, status, n) VALUES (NEW.game_id, NEW.status, 1)
                ON DUPLICATE KEY UPDATE n = n + 1
            """,
            "DROP TRIGGER IF EXISTS clips_count_update",
            """
            CREATE TRIGGER clips_count_update AFTER UPDATE ON clips FOR EACH ROW
            BEGIN
              IF OLD.status <> NEW.status OR OLD.game_id <> NEW.game_id THEN
                UPDATE clip_counts SET n = n - 1 WHERE game_id = OLD.game_id AND status = OLD.status;
                INSERT INTO clip_counts (game_id, status, n) VALUES (NEW.game_id, NEW.status, 1)
                  ON DUPLICATE KEY UPDATE n = n + 1;
              END IF;
            END
            """,
            "DROP TRIGGER IF EXISTS clips_count_delete",
            """
            CREATE TRIGGER clips_count_delete AFTER DELETE ON clips FOR EACH ROW
              UPDATE clip_counts SET n = n - 1 WHERE game_id = OLD.game_id AND status = OLD.status
            """,
        ];

        internal override IReadOnlyList<string> ClipCountTriggerFixes => [];

        internal override IReadOnlyList<string> ClipTitleSearch => [];

        internal override IReadOnlyList<string> ClipTitleKeys => [];

        public override bool HasTitleTrigrams => false;

        internal override string LikeIgnoringCase(string column, string parameter) => $"{column} COLLATE utf8mb4_unicode_ci LIKE {parameter} ESCAPE '!'";

        internal override string DropIndex(string index, string table) => $"DROP INDEX IF EXISTS {index} ON {table}";

        internal override string AddColumn(string table, string columnDefinition) => $"ALTER TABLE {table} ADD COLUMN IF NOT EXISTS {columnDefinition}";

        internal override string RandomHex32 => "MD5(UUID())";

        internal override bool IsUniqueViolation(Exception e) =>
            e is MySqlException { ErrorCode: MySqlErrorCode.DuplicateKeyEntry };

        internal override bool IsDeadlock(Exception e) =>
            e is MySqlException { ErrorCode: MySqlErrorCode.LockDeadlock or MySqlErrorCode.LockWaitTimeout };
    }
}
