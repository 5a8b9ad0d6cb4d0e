namespace Tccg.Storage.Database;

/// <summary>One schema change. Statements run in order; <c>{id}</c>, <c>{opts}</c> and <c>{longtext}</c> are expanded per dialect.</summary>
internal sealed record Migration(int Version, string Name, Func<SqlDialect, IReadOnlyList<string>> Statements);

/// <summary>
/// The versioned schema. Never edit a migration that has shipped: add a new one at the end.
/// Times are UTC milliseconds since the Unix epoch (BIGINT); enums are lower-case names.
/// </summary>
internal static class Schema
{
    private static readonly string[] Initial =
    [
        """
        CREATE TABLE IF NOT EXISTS users (
          id {id},
          name VARCHAR(64) NOT NULL,
          password_hash VARCHAR(255) NOT NULL,
          role VARCHAR(16) NOT NULL,
          created_at BIGINT NOT NULL,
          failed_logins INT NOT NULL DEFAULT 0,
          locked_until BIGINT NULL,
          CONSTRAINT ux_users_name UNIQUE (name)
        ) {opts}
        """,
        """
        CREATE TABLE IF NOT EXISTS api_tokens (
          id {id},
          name VARCHAR(128) NOT NULL,
          secret_hash CHAR(64) NOT NULL,
          kind VARCHAR(16) NOT NULL,
          user_id BIGINT NULL,
          created_at BIGINT NOT NULL,
          last_used_at BIGINT NULL,
          revoked_at BIGINT NULL,
          CONSTRAINT ux_api_tokens_secret UNIQUE (secret_hash),
          CONSTRAINT fk_api_tokens_user FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE
        ) {opts}
        """,
        """
        CREATE TABLE IF NOT EXISTS games (
          id {id},
          twitch_game_id VARCHAR(64) NOT NULL,
          name VARCHAR(255) NOT NULL,
          box_art_url VARCHAR(1024) NOT NULL,
          enabled BOOLEAN NOT NULL,
          languages VARCHAR(1024) NOT NULL,
          min_views INT NOT NULL,
          min_duration DOUBLE NOT NULL,
          max_duration DOUBLE NOT NULL,
          blocked_broadcasters {longtext} NOT NULL,
          per_broadcaster_cap INT NOT NULL,
          search_period VARCHAR(16) NOT NULL,
          interval_minutes INT NOT NULL,
          target_unreviewed INT NOT NULL,
          last_find_at BIGINT NULL,
          next_find_at BIGINT NULL,
          created_at BIGINT NOT NULL,
          CONSTRAINT ux_games_twitch UNIQUE (twitch_game_id)
        ) {opts}
        """,
        """
        CREATE TABLE IF NOT EXISTS clips (
          id {id},
          twitch_clip_id VARCHAR(128) NOT NULL,
          url VARCHAR(1024) NOT NULL,
          embed_url VARCHAR(1024) NOT NULL,
          broadcaster_id VARCHAR(64) NOT NULL,
          broadcaster_name VARCHAR(255) NOT NULL,
          broadcaster_login VARCHAR(255) NULL,
          creator_id VARCHAR(64) NOT NULL,
          creator_name VARCHAR(255) NOT NULL,
          video_id VARCHAR(64) NOT NULL,
          game_id VARCHAR(64) NOT NULL,
          language VARCHAR(16) NOT NULL,
          title VARCHAR(1024) NOT NULL,
          view_count INT NOT NULL,
          created_at BIGINT NOT NULL,
          thumbnail_url VARCHAR(1024) NOT NULL,
          duration DOUBLE NOT NULL,
          vod_offset INT NULL,
          is_featured BOOLEAN NOT NULL,
          status VARCHAR(16) NOT NULL,
          file_path VARCHAR(1024) NULL,
          file_size BIGINT NULL,
          width INT NULL,
          height INT NULL,
          fps DOUBLE NULL,
          video_codec VARCHAR(32) NULL,
          audio_codec VARCHAR(32) NULL,
          has_audio BOOLEAN NULL,
          sample_rate INT NULL,
          channels INT NULL,
          media_duration DOUBLE NULL,
          loudness_lufs DOUBLE NULL,
          attempts INT NOT NULL DEFAULT 0,
          last_error {longtext} NULL,
          next_retry_at BIGINT NULL,
          duplicate_of BIGINT NULL,
          found_at BIGINT NOT NULL,
          downloaded_at BIGINT NULL,
          used_at BIGINT NULL,
          updated_at BIGINT NOT NULL,
          CONSTRAINT ux_clips_twitch UNIQUE (twitch_clip_id),
          CONSTRAINT fk_clips_duplicate FOREIGN KEY (duplicate_of) REFERENCES clips (id) ON DELETE SET NULL
        ) {opts}
        """,
        // The editor's query (game, status, by views) and paging by views; counts fall back to it too.
        "CREATE INDEX IF NOT EXISTS ix_clips_game_status_views ON clips (game_id, status, view_count, id)",
        "CREATE INDEX IF NOT EXISTS ix_clips_game_created ON clips (game_id, created_at, id)",
        "CREATE INDEX IF NOT EXISTS ix_clips_status_retry ON clips (status, next_retry_at)",
        "CREATE INDEX IF NOT EXISTS ix_clips_video ON clips (video_id)",
        "CREATE INDEX IF NOT EXISTS ix_clips_login ON clips (broadcaster_login, broadcaster_id)",
        // Kept in step with clips by triggers, so the dashboard's counts never scan the clip bin.
        """
        CREATE TABLE IF NOT EXISTS clip_counts (
          game_id VARCHAR(64) NOT NULL,
          status VARCHAR(16) NOT NULL,
          n BIGINT NOT NULL,
          PRIMARY KEY (game_id, status)
        ) {opts}
        """,
        """
        CREATE TABLE IF NOT EXISTS assets (
          id {id},
          owner_id BIGINT NULL,
          kind VARCHAR(16) NOT NULL,
          original_name VARCHAR(512) NOT NULL,
          stored_name VARCHAR(255) NOT NULL,
          size BIGINT NOT NULL,
          width INT NULL,
          height INT NULL,
          fps DOUBLE NULL,
          video_codec VARCHAR(32) NULL,
          audio_codec VARCHAR(32) NULL,
          has_audio BOOLEAN NULL,
          sample_rate INT NULL,
          channels INT NULL,
          media_duration DOUBLE NULL,
          created_at BIGINT NOT NULL,
          CONSTRAINT ux_assets_stored UNIQUE (stored_name),
          CONSTRAINT fk_assets_owner FOREIGN KEY (owner_id) REFERENCES users (id) ON DELETE SET NULL
        ) {opts}
        """,
        """
        CREATE TABLE IF NOT EXISTS compilations (
          id {id},
          owner_id BIGINT NULL,
          name VARCHAR(255) NOT NULL,
          game_id VARCHAR(64) NULL,
          settings_json {longtext} NOT NULL,
          intro_asset_id BIGINT NULL,
          outro_asset_id BIGINT NULL,
          interval_asset_id BIGINT NULL,
          first_asset_id BIGINT NULL,
          music_json {longtext} NOT NULL,
          shared BOOLEAN NOT NULL,
          created_at BIGINT NOT NULL,
          updated_at BIGINT NOT NULL,
          CONSTRAINT fk_compilations_owner FOREIGN KEY (owner_id) REFERENCES users (id) ON DELETE SET NULL,
          CONSTRAINT fk_compilations_intro FOREIGN KEY (intro_asset_id) REFERENCES assets (id) ON DELETE SET NULL,
          CONSTRAINT fk_compilations_outro FOREIGN KEY (outro_asset_id) REFERENCES assets (id) ON DELETE SET NULL,
          CONSTRAINT fk_compilations_interval FOREIGN KEY (interval_asset_id) REFERENCES assets (id) ON DELETE SET NULL,
          CONSTRAINT fk_compilations_first FOREIGN KEY (first_asset_id) REFERENCES assets (id) ON DELETE SET NULL
        ) {opts}
        """,
        """
        CREATE TABLE IF NOT EXISTS compilation_items (
          id {id},
          compilation_id BIGINT NOT NULL,
          position INT NOT NULL,
          clip_id BIGINT NOT NULL,
          trim_start DOUBLE NULL,
          trim_end DOUBLE NULL,
          volume DOUBLE NOT NULL,
          CONSTRAINT fk_items_compilation FOREIGN KEY (compilation_id) REFERENCES compilations (id) ON DELETE CASCADE,
          CONSTRAINT fk_items_clip FOREIGN KEY (clip_id) REFERENCES clips (id) ON DELETE CASCADE
        ) {opts}
        """,
        "CREATE INDEX IF NOT EXISTS ix_items_compilation ON compilation_items (compilation_id, position)",
        """
        CREATE TABLE IF NOT EXISTS review_decisions (
          id {id},
          compilation_id BIGINT NOT NULL,
          clip_id BIGINT NOT NULL,
          user_id BIGINT NULL,
          decision VARCHAR(8) NOT NULL,
          decided_at BIGINT NOT NULL,
          CONSTRAINT ux_review_compilation_clip UNIQUE (compilation_id, clip_id),
          CONSTRAINT fk_review_compilation FOREIGN KEY (compilation_id) REFERENCES compilations (id) ON DELETE CASCADE,
          CONSTRAINT fk_review_clip FOREIGN KEY (clip_id) REFERENCES clips (id) ON DELETE CASCADE,
          CONSTRAINT fk_review_user FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE SET NULL
        ) {opts}
        """,
        """
        CREATE TABLE IF NOT EXISTS render_jobs (
          id {id},
          compilation_id BIGINT NULL,
          owner_id BIGINT NULL,
          timeline_json {longtext} NOT NULL,
          status VARCHAR(16) NOT NULL,
          lease_owner VARCHAR(128) NULL,
          lease_id VARCHAR(64) NULL,
          lease_expires_at BIGINT NULL,
          stage VARCHAR(64) NULL,
          percent DOUBLE NULL,
          eta_seconds DOUBLE NULL,
          attempts INT NOT NULL DEFAULT 0,
          output_path VARCHAR(1024) NULL,
          credits_path VARCHAR(1024) NULL,
          error {longtext} NULL,
          created_at BIGINT NOT NULL,
          started_at BIGINT NULL,
          finished_at BIGINT NULL,
          CONSTRAINT fk_jobs_compilation FOREIGN KEY (compilation_id) REFERENCES compilations (id) ON DELETE SET NULL,
          CONSTRAINT fk_jobs_owner FOREIGN KEY (owner_id) REFERENCES users (id) ON DELETE SET NULL
        ) {opts}
        """,
        "CREATE INDEX IF NOT EXISTS ix_jobs_status ON render_jobs (status, lease_expires_at)",
        "CREATE INDEX IF NOT EXISTS ix_jobs_compilation ON render_jobs (compilation_id)",
    ];

    public static readonly IReadOnlyList<Migration> Migrations =
    [
        new(1, "clip bin, accounts, assets, compilations, render jobs", d => [.. Initial, .. d.ClipCountTriggers]),
        new(2, "faster bulk upsert: inserted clips counted in code on SQLite, leaner clip indexes", d =>
        [
            .. d.ClipCountTriggerFixes,
            // Both were inserted into at random positions by every new clip and halved the bulk upsert rate.
            // Paging by date now sorts one game's clips; filling logins walks the clips still without one.
            d.DropIndex("ix_clips_game_created", "clips"),
            d.DropIndex("ix_clips_login", "clips"),
            "CREATE INDEX IF NOT EXISTS ix_clips_login_missing ON clips (broadcaster_login)",
        ]),
        new(3, "clip paging by date sorts the game's index entries, not its rows", d =>
        [
            // Same key, created_at appended: paging newest-first reads only index entries of the game and
            // status, and a new clip still costs one insertion into this index.
            d.DropIndex("ix_clips_game_status_views", "clips"),
            "CREATE INDEX IF NOT EXISTS ix_clips_game_status_views ON clips (game_id, status, view_count, id, created_at)",
        ]),
        new(4, "revocable sessions (security stamp), login throttling per account and source instead of account lockout", d =>
        [
            // Sessions issued before this version carry no stamp and end once: every user gets a stamp now.
            d.AddColumn("users", "security_stamp VARCHAR(64) NOT NULL DEFAULT ''"),
            "UPDATE users SET security_stamp = " + d.RandomHex32 + " WHERE security_stamp = ''",
            // Accounts are no longer locked for everyone; lift any lock still running.
            "UPDATE users SET failed_logins = 0, locked_until = NULL",
            """
            CREATE TABLE IF NOT EXISTS login_failures (
              k CHAR(64) NOT NULL PRIMARY KEY,
              failures INT NOT NULL,
              last_at BIGINT NOT NULL,
              blocked_until BIGINT NOT NULL
            ) {opts}
            """,
            "CREATE INDEX IF NOT EXISTS ix_login_failures_last ON login_failures (last_at)",
        ]),
        new(5, "several servers on one database: leases for one-process work, the shared Data Protection key ring", d =>
        [
            // One row per kind of work only one server may do at a time (the automatic finder/downloader, the
            // nightly backup). The holder renews expires_at; another server takes the row once it has expired.
            """
            CREATE TABLE IF NOT EXISTS server_leases (
              name VARCHAR(64) NOT NULL PRIMARY KEY,
              holder VARCHAR(255) NOT NULL,
              expires_at BIGINT NOT NULL,
              acquired_at BIGINT NOT NULL
            ) {opts}
            """,
            // ASP.NET Core Data Protection keys (encrypted XML), so a cookie from one server is read by another.
            """
            CREATE TABLE IF NOT EXISTS data_protection_keys (
              id {id},
              name VARCHAR(255) NOT NULL,
              xml {longtext} NOT NULL,
              created_at BIGINT NOT NULL,
              CONSTRAINT ux_data_protection_keys_name UNIQUE (name)
            ) {opts}
            """,
        ]),
        new(6, "run-time settings (GQL client id and hashes, download pause) and connected Twitch accounts", _ =>
        [
            """
            CREATE TABLE IF NOT EXISTS settings (
              name VARCHAR(128) NOT NULL PRIMARY KEY,
              value {longtext} NOT NULL,
              updated_at BIGINT NOT NULL
            ) {opts}
            """,
            """
            CREATE TABLE IF NOT EXISTS twitch_connections (
              id {id},
              twitch_user_id VARCHAR(64) NOT NULL,
              login VARCHAR(64) NOT NULL,
              scopes VARCHAR(512) NOT NULL,
              protected_refresh_token {longtext} NOT NULL,
              channels {longtext} NOT NULL,
              connected_by BIGINT NULL,
              created_at BIGINT NOT NULL,
              updated_at BIGINT NOT NULL,
              CONSTRAINT ux_twitch_connections_user UNIQUE (twitch_user_id),
              CONSTRAINT fk_twitch_connections_user FOREIGN KEY (connected_by) REFERENCES users (id) ON DELETE SET NULL
            ) {opts}
            """,
        ]),
        new(7, "channels as clip sources, compilations of a channel, audio fingerprints and their index", d =>
        [
            """
            CREATE TABLE IF NOT EXISTS channels (
              id {id},
              twitch_user_id VARCHAR(64) NOT NULL,
              login VARCHAR(255) NOT NULL,
              display_name VARCHAR(255) NOT NULL,
              profile_image_url VARCHAR(1024) NOT NULL,
              enabled BOOLEAN NOT NULL,
              languages VARCHAR(1024) NOT NULL,
              min_views INT NOT NULL,
              min_duration DOUBLE NOT NULL,
              max_duration DOUBLE NOT NULL,
              search_period VARCHAR(16) NOT NULL,
              interval_minutes INT NOT NULL,
              target_unreviewed INT NOT NULL,
              last_find_at BIGINT NULL,
              next_find_at BIGINT NULL,
              created_at BIGINT NOT NULL,
              CONSTRAINT ux_channels_twitch UNIQUE (twitch_user_id)
            ) {opts}
            """,
            // A channel's clips by status and views, as (game, status, views) serves a game's.
            "CREATE INDEX IF NOT EXISTS ix_clips_broadcaster_status_views ON clips (broadcaster_id, status, view_count, id)",
            // The Twitch user id of the channel whose clips a compilation reviews (instead of a game's).
            "ALTER TABLE compilations ADD COLUMN channel_id VARCHAR(64) NULL",
            // Chromaprint fingerprints: 32-bit items, little-endian, one per ~0.124 s of audio.
            """
            CREATE TABLE IF NOT EXISTS clip_fingerprints (
              clip_id BIGINT NOT NULL PRIMARY KEY,
              items BLOB NOT NULL,
              created_at BIGINT NOT NULL,
              CONSTRAINT fk_fingerprints_clip FOREIGN KEY (clip_id) REFERENCES clips (id) ON DELETE CASCADE
            ) {opts}
            """,
            // The inverted index: each distinct 18-bit sub-hash (the top bits of an item) of a fingerprint points at its clip, so a lookup
            // reads a few short posting lists instead of every fingerprint.
            """
            CREATE TABLE IF NOT EXISTS clip_fingerprint_keys (
              fp_key INT NOT NULL,
              clip_id BIGINT NOT NULL,
              PRIMARY KEY (fp_key, clip_id),
              CONSTRAINT fk_fingerprint_keys_clip FOREIGN KEY (clip_id) REFERENCES clips (id) ON DELETE CASCADE
            ) {opts}
            """,
        ]),
        new(8, "clips keep Twitch's portrait crop boxes", _ =>
        [
            // A timeline layout object (JSON): the clip's default stacked / crop layout in vertical compilations.
            "ALTER TABLE clips ADD COLUMN portrait_layout TEXT NULL",
        ]),
        new(9, "clip browser: find a streamer's clips by display name", d =>
        [
            // Logins are found through ix_clips_login_missing; the other filters (language, title, duration) are
            // checked while walking ix_clips_game_status_views in page order.
            "CREATE INDEX IF NOT EXISTS ix_clips_name ON clips (broadcaster_name)",
        ]),
        new(10, "compilation versions for optimistic concurrency across processes", _ =>
        [
            "ALTER TABLE compilations ADD COLUMN version BIGINT NOT NULL DEFAULT 1",
        ]),
        new(11, "layouts: an item's own layout, per-streamer facecam memory, batches of shorts, render thumbnails", d =>
        [
            // A timeline layout object (JSON) the editor set for this item; null: the streamer's, Twitch's or the compilation's.
            d.AddColumn("compilation_items", "layout_json TEXT NULL"),
            // The last facecam layout a user set for a broadcaster's clip: the default for their later clips in vertical compilations.
            """
            CREATE TABLE IF NOT EXISTS streamer_layouts (
              broadcaster_id VARCHAR(64) NOT NULL PRIMARY KEY,
              layout_json TEXT NOT NULL,
              updated_by BIGINT NULL,
              updated_at BIGINT NOT NULL
            ) {opts}
            """,
            // "Render each clip as a short": one render job per clip, grouped under a batch.
            """
            CREATE TABLE IF NOT EXISTS render_batches (
              id {id},
              compilation_id BIGINT NULL,
              owner_id BIGINT NULL,
              name VARCHAR(255) NOT NULL,
              created_at BIGINT NOT NULL
            ) {opts}
            """,
            d.AddColumn("render_jobs", "batch_id BIGINT NULL"),
            "CREATE INDEX IF NOT EXISTS ix_jobs_batch ON render_jobs (batch_id)",
            // The upload thumbnail (NAME.jpg) next to the MP4 and the text.
            d.AddColumn("render_jobs", "thumbnail_path VARCHAR(1024) NULL"),
        ]),
        new(12, "clip browser at a million clips: a covering index per sort (of one game and of all), title search by trigrams", d =>
        [
            // Each index walks one sort order (views or date; within a game or over every game) and holds every column
            // the browser filters on, so status, language, duration, views and dates are checked on index entries and
            // only the page's rows are read (bench/server: the browser's p95 per filter kind).
            "CREATE INDEX IF NOT EXISTS ix_clips_browse_game_views ON clips (game_id, view_count, id, status, language, duration, created_at)",
            "CREATE INDEX IF NOT EXISTS ix_clips_browse_game_date ON clips (game_id, created_at, id, status, language, duration, view_count)",
            "CREATE INDEX IF NOT EXISTS ix_clips_browse_views ON clips (view_count, id, status, language, duration, created_at, game_id)",
            "CREATE INDEX IF NOT EXISTS ix_clips_browse_date ON clips (created_at, id, status, language, duration, view_count, game_id)",
            .. d.ClipTitleSearch,
        ]),
        new(13, "audio fingerprint index keys from pairs of items (posting lists stay short as the bin grows)", d =>
        [
            // Keys are now 28 bits from two neighbouring items (AudioFingerprint.Keys), not 18 bits of one: the old rows mean
            // nothing under the new keys. FingerprintStore.IndexMissingAsync rebuilds the keys of stored fingerprints.
            "DROP TABLE IF EXISTS clip_fingerprint_keys",
            // SQLite: WITHOUT ROWID keeps the key table a single B-tree (a lookup reads the primary key alone).
            $"""
            CREATE TABLE clip_fingerprint_keys (
              fp_key INT NOT NULL,
              clip_id BIGINT NOT NULL,
              PRIMARY KEY (fp_key, clip_id),
              CONSTRAINT fk_fingerprint_keys_clip FOREIGN KEY (clip_id) REFERENCES clips (id) ON DELETE CASCADE
            ) {(d.Provider == Tccg.Core.Configuration.DatabaseProvider.Sqlite ? "WITHOUT ROWID" : "{opts}")}
            """,
            // Replacing or deleting a clip's keys (and the cascade from clips) finds them by clip.
            "CREATE INDEX IF NOT EXISTS ix_fingerprint_keys_clip ON clip_fingerprint_keys (clip_id)",
        ]),
        new(14, "clip browser: indexes that start with the equality filters, a streamer's clips in sort order, a game's titles in sort order", d =>
        [
            // Game + status (the editor's next clips, the browser's status filter): language and duration on the entries too,
            // so a filter that matches nothing is checked on the index alone instead of on every row of the game.
            d.DropIndex("ix_clips_game_status_views", "clips"),
            "CREATE INDEX IF NOT EXISTS ix_clips_browse_game_status ON clips (game_id, status, view_count, id, language, duration, created_at)",
            // Game + language: a language a game has no clips in is an empty range, not a walk of the game's clips.
            "CREATE INDEX IF NOT EXISTS ix_clips_browse_game_language ON clips (game_id, language, view_count, id, status, duration, created_at)",
            // A streamer's clips by display name with both sort keys: the page is sorted from index entries alone.
            d.DropIndex("ix_clips_name", "clips"),
            "CREATE INDEX IF NOT EXISTS ix_clips_name_sort ON clips (broadcaster_name, view_count, created_at)",
            // SQLite: a game's titles in each sort order, so title text within a game is checked on index entries walked in
            // page order (ClipStore.QueryAsync), not through the trigram table's posting lists of common trigrams. MariaDB
            // cannot index a whole VARCHAR(1024) utf8mb4 title and searches titles with LIKE on the game's rows.
            .. (d.Provider == Tccg.Core.Configuration.DatabaseProvider.Sqlite
                ? (string[])
                [
                    "CREATE INDEX IF NOT EXISTS ix_clips_title_game_views ON clips (game_id, view_count, id, title)",
                    "CREATE INDEX IF NOT EXISTS ix_clips_title_game_date ON clips (game_id, created_at, id, title)",
                    // Row counts per index for the planner (it otherwise guesses for the new indexes).
                    "ANALYZE clips",
                ]
                : []),
        ]),
        new(15, "clip browser: title keys (seven characters around each space), by key in date order and by game with both sort keys, for title text", d =>
        [
            .. d.ClipTitleKeys,
        ]),
        new(16, "clip browser: game + status + language in views order", d =>
        [
            // A game, status and language together (with views, duration or dates) walk only the language's entries of the
            // game's clips in that status, and check fewer columns each; a filter of them that matches nothing reads about
            // half as much as through ix_clips_browse_game_status (bench/server: "game+status+language+views+duration").
            "CREATE INDEX IF NOT EXISTS ix_clips_browse_game_status_language ON clips (game_id, status, language, view_count, id, duration, created_at)",
            .. (d.Provider == Tccg.Core.Configuration.DatabaseProvider.Sqlite ? (string[])["ANALYZE ix_clips_browse_game_status_language"] : []),
        ]),
    ];

    public static int Latest => Migrations[^1].Version;
}
