"""Table definitions of a shop database, at SCHEMA_VERSION.

Timestamps are Unix seconds (UTC, naive exports taken as they are); ids are text exactly as the shop
writes them after normalisation (see ingest.validate.normalise_id), so leading zeros survive.
"""

from __future__ import annotations

SCHEMA_VERSION = 8

# Event kinds stored in interactions.event. Only PURCHASE_EVENTS count as evidence of interest.
PURCHASE = "purchase"
RATING = "rating"
VIEW = "view"
RETURN = "return"
CANCEL = "cancel"
PURCHASE_EVENTS = (PURCHASE, RATING)

DDL = [
    """
    CREATE TABLE IF NOT EXISTS items (
        item_id TEXT PRIMARY KEY,
        title TEXT NOT NULL DEFAULT '',
        description TEXT NOT NULL DEFAULT '',
        category TEXT NOT NULL DEFAULT '',
        tags TEXT NOT NULL DEFAULT '',
        price REAL,
        in_stock INTEGER NOT NULL DEFAULT 1,
        first_seen INTEGER
    )
    """,
    """
    CREATE TABLE IF NOT EXISTS customers (
        customer_id TEXT PRIMARY KEY,
        name TEXT NOT NULL DEFAULT '',
        email TEXT NOT NULL DEFAULT ''
    )
    """,
    """
    CREATE TABLE IF NOT EXISTS imports (
        import_id INTEGER PRIMARY KEY,
        file TEXT NOT NULL,
        kind TEXT NOT NULL,
        sha256 TEXT NOT NULL,
        imported_at INTEGER NOT NULL,
        rows_read INTEGER NOT NULL DEFAULT 0,
        rows_accepted INTEGER NOT NULL DEFAULT 0,
        rows_rejected INTEGER NOT NULL DEFAULT 0,
        mapping TEXT NOT NULL DEFAULT '{}'
    )
    """,
    """
    CREATE TABLE IF NOT EXISTS interactions (
        id INTEGER PRIMARY KEY,
        customer_id TEXT,
        item_id TEXT NOT NULL,
        ts INTEGER,
        quantity REAL NOT NULL DEFAULT 1,
        event TEXT NOT NULL DEFAULT 'purchase',
        rating REAL,
        order_id TEXT,
        import_id INTEGER NOT NULL REFERENCES imports(import_id),
        line_key TEXT NOT NULL UNIQUE
    )
    """,
    """
    CREATE TABLE IF NOT EXISTS import_problems (
        import_id INTEGER NOT NULL REFERENCES imports(import_id),
        row INTEGER,
        column_name TEXT,
        reason TEXT NOT NULL
    )
    """,
    """
    CREATE TABLE IF NOT EXISTS settings (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL
    )
    """,
    """
    CREATE TABLE IF NOT EXISTS job_log (
        job_id INTEGER PRIMARY KEY,
        kind TEXT NOT NULL,
        started_at INTEGER NOT NULL,
        finished_at INTEGER,
        state TEXT NOT NULL,
        message TEXT NOT NULL DEFAULT ''
    )
    """,
    """
    CREATE TABLE IF NOT EXISTS item_stats (
        item_id TEXT PRIMARY KEY,
        sales INTEGER NOT NULL DEFAULT 0,
        buyers INTEGER NOT NULL DEFAULT 0,
        last_sold INTEGER
    )
    """,
    "CREATE INDEX IF NOT EXISTS interactions_customer ON interactions(customer_id, ts)",
    "CREATE INDEX IF NOT EXISTS interactions_item ON interactions(item_id)",
    "CREATE INDEX IF NOT EXISTS customers_email ON customers(email)",
    "CREATE INDEX IF NOT EXISTS customers_name ON customers(name)",
]

# Version 2: product-text vectors, cached by (model fingerprint, text hash) so that re-running the
# text model after a catalog change only reads new or changed descriptions.
ITEM_VECTORS_DDL = """
    CREATE TABLE IF NOT EXISTS item_vectors (
        model TEXT NOT NULL,
        text_hash TEXT NOT NULL,
        vector BLOB NOT NULL,
        PRIMARY KEY (model, text_hash)
    ) WITHOUT ROWID
"""
DDL.append(ITEM_VECTORS_DDL)

# Version 3: evaluation results kept per model version, so runs can be compared (the long-tail page).
EVALUATIONS_DDL = """
    CREATE TABLE IF NOT EXISTS evaluations (
        evaluation_id INTEGER PRIMARY KEY,
        run_at INTEGER NOT NULL,
        model_version TEXT NOT NULL,
        mode TEXT NOT NULL,
        discovery REAL NOT NULL,
        k INTEGER NOT NULL,
        figures TEXT NOT NULL
    )
"""
DDL.append(EVALUATIONS_DDL)

# Version 4: the job journal records which process runs a job and how to run it again, so a job cut short
# by a crash or a kill is found as interrupted when the shop is next opened (core.journal).
JOB_LOG_V4_COLUMNS = (
    "ALTER TABLE job_log ADD COLUMN pid INTEGER",
    "ALTER TABLE job_log ADD COLUMN process_started REAL",
    "ALTER TABLE job_log ADD COLUMN params TEXT NOT NULL DEFAULT '{}'",
)

# Version 4 too: the catalog pages by walking an index of (sort key, item_id), so a page deep in a 200,000-product
# catalog costs what the first one does (OFFSET over a joined, computed order took ~0.8 s a page). For that every
# product has a stats row (0 sales until sold), kept so by triggers whoever writes the items.
CATALOG_ORDER_DDL = (
    "DROP INDEX IF EXISTS items_title",
    "CREATE INDEX IF NOT EXISTS items_title_id ON items(title, item_id)",
    "CREATE INDEX IF NOT EXISTS items_category_id ON items(category, item_id)",
    "CREATE INDEX IF NOT EXISTS items_price_id ON items(price, item_id)",
    "CREATE INDEX IF NOT EXISTS items_in_stock_id ON items(in_stock, item_id)",
    "CREATE INDEX IF NOT EXISTS item_stats_sales ON item_stats(sales, item_id)",
    "CREATE INDEX IF NOT EXISTS item_stats_buyers ON item_stats(buyers, item_id)",
    "CREATE INDEX IF NOT EXISTS item_stats_last_sold ON item_stats(last_sold, item_id)",
    """CREATE TRIGGER IF NOT EXISTS items_have_stats AFTER INSERT ON items
       BEGIN INSERT OR IGNORE INTO item_stats(item_id) VALUES (NEW.item_id); END""",
    """CREATE TRIGGER IF NOT EXISTS items_drop_stats AFTER DELETE ON items
       BEGIN DELETE FROM item_stats WHERE item_id = OLD.item_id; END""",
    "INSERT OR IGNORE INTO item_stats(item_id) SELECT item_id FROM items",
)
SCHEMA_V4 = (*JOB_LOG_V4_COLUMNS, *CATALOG_ORDER_DDL)

# Version 5: products that are no products (postage, fees, discounts, gift cards, manual lines) are found at import
# and kept as order lines, never recommended and never counted as products (core.ingest.nonproducts). The reason
# found is stored, apart from the owner's own word on it, so a new import never overrules the owner:
#   non_product    why the product looks like none ('' = a product), set again after every import
#   owner_product  NULL: go by non_product; 1: a product after all; 0: not a product, never recommend
#   top_price      the highest price any file gave it (a product never sold above 0 is a discount or a gift)
#   file_hint      what a file said of it (Shopify "Gift Card" = true: 'gift card')
ITEMS_V5_COLUMNS = (
    "ALTER TABLE items ADD COLUMN non_product TEXT NOT NULL DEFAULT ''",
    "ALTER TABLE items ADD COLUMN owner_product INTEGER",
    "ALTER TABLE items ADD COLUMN top_price REAL",
    "ALTER TABLE items ADD COLUMN file_hint TEXT NOT NULL DEFAULT ''",
    "UPDATE items SET top_price = price",
)
SCHEMA_V5 = ITEMS_V5_COLUMNS

# Whether an items row (no alias) is no product: the owner's word first, then what was found.
# Never NULL (a NULL would make "NOT ..." drop every product): owner_product = 0 is NULL while the owner said nothing.
NOT_A_PRODUCT = "coalesce(owner_product = 0, non_product != '')"
# Order lines of real products only, for what learns from sales or counts products (x = interactions).
PRODUCT_LINES = f"item_id NOT IN (SELECT item_id FROM items WHERE {NOT_A_PRODUCT})"

# Version 6: products and their variants (issue 18, item 1). A product group (Shopify's Handle, WooCommerce's Parent,
# a group column) gathers variants (sizes, colours) under one product, whose id is one of theirs (the parent row, else
# the first variant seen): interactions.item_id holds the product, so everything that reads sales (learning,
# a customer's history, what they already bought, popularity) sees products; variant_id keeps what was bought.
#   items.group_id    the group key as the file wrote it (NULL: a product of its own)
#   items.product_id  the product this row is a variant of (NULL: its own product); set by ingest.variants
#   items.options     the variant's option values ("Size: 100 g")
ITEMS_V6 = (
    "ALTER TABLE items ADD COLUMN group_id TEXT",
    "ALTER TABLE items ADD COLUMN product_id TEXT",
    "ALTER TABLE items ADD COLUMN options TEXT NOT NULL DEFAULT ''",
    "ALTER TABLE interactions ADD COLUMN variant_id TEXT",
    "CREATE INDEX IF NOT EXISTS interactions_variant ON interactions(variant_id) WHERE variant_id IS NOT NULL",
    "CREATE INDEX IF NOT EXISTS items_group ON items(group_id) WHERE group_id IS NOT NULL",
)
SCHEMA_V6 = ITEMS_V6
# An items row that is a variant under another row's product: never listed, counted or recommended on its own.
VARIANT_ROW = "(product_id IS NOT NULL AND product_id != item_id)"

# Version 7 (issue 21): what an e-mail block shows of a product, and campaigns with a control group.
#   items.image_url    the product's picture (Shopify "Image Src", WooCommerce's first of "Images"), '' when none
#   items.product_url  the product's page in the web shop, '' when the file gives none
#   campaigns          one campaign export: when, its name, the share held back and the seed that drew them, and
#                      since_ts, the shop's latest sale when it was made (later sales are the campaign's outcome)
#   campaign_members   every customer of that export: treated (1, in the file) or held back (0), and the products
#                      they got or would have got (JSON list of product ids), so both groups are measured alike
#   watched_files      files a watched folder has imported (by path and content), each imported once
ITEMS_V7_COLUMNS = (
    "ALTER TABLE items ADD COLUMN image_url TEXT NOT NULL DEFAULT ''",
    "ALTER TABLE items ADD COLUMN product_url TEXT NOT NULL DEFAULT ''",
)
CAMPAIGNS_DDL = (
    """CREATE TABLE IF NOT EXISTS campaigns (
        campaign_id INTEGER PRIMARY KEY,
        name TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        since_ts INTEGER NOT NULL,
        holdout REAL NOT NULL,
        seed INTEGER NOT NULL,
        file TEXT NOT NULL DEFAULT '',
        segments TEXT NOT NULL DEFAULT ''
    )""",
    """CREATE TABLE IF NOT EXISTS campaign_members (
        campaign_id INTEGER NOT NULL REFERENCES campaigns(campaign_id) ON DELETE CASCADE,
        customer_id TEXT NOT NULL,
        treated INTEGER NOT NULL,
        items TEXT NOT NULL,
        PRIMARY KEY (campaign_id, customer_id)
    ) WITHOUT ROWID""",
    """CREATE TABLE IF NOT EXISTS watched_files (
        path TEXT NOT NULL,
        sha256 TEXT NOT NULL,
        seen_at INTEGER NOT NULL,
        outcome TEXT NOT NULL,
        PRIMARY KEY (path, sha256)
    ) WITHOUT ROWID""",
)
SCHEMA_V7 = (*ITEMS_V7_COLUMNS, *CAMPAIGNS_DDL)

# Version 8 (issue 20, journey 5): recommendations that went out, so a product's page can show how often it was
# recommended next to its sales. Small on purpose: one row per export, and one per export and product, never one
# per customer (campaign_members keeps those, for campaigns only).
#   sent_lists     one export of customers' lists (a campaign or not): when (wall clock, Unix seconds), the file's
#                  name, how many customers' lists went out (held-back customers got none) and its campaign, if any
#   sent_products  per export, each product in its lists and in how many customers' lists it was
SENT_DDL = (
    """CREATE TABLE IF NOT EXISTS sent_lists (
        sent_id INTEGER PRIMARY KEY,
        sent_at INTEGER NOT NULL,
        file TEXT NOT NULL DEFAULT '',
        customers INTEGER NOT NULL,
        campaign_id INTEGER REFERENCES campaigns(campaign_id) ON DELETE SET NULL
    )""",
    """CREATE TABLE IF NOT EXISTS sent_products (
        item_id TEXT NOT NULL,
        sent_id INTEGER NOT NULL REFERENCES sent_lists(sent_id) ON DELETE CASCADE,
        customers INTEGER NOT NULL,
        PRIMARY KEY (item_id, sent_id)
    ) WITHOUT ROWID""",
)
SCHEMA_V8 = SENT_DDL
