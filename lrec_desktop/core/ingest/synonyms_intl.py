"""Header names of German, French, Spanish, Italian, Dutch, Chinese and Japanese tills and shop exports, per field.

Written as people write them; mapping.norm folds case, accents and punctuation on both sides ("Qté", "N° client",
"客户ID"), and they rank after the English names of SYNONYMS, so an English header wins where both fit.
"""

from __future__ import annotations

LOCAL_SYNONYMS: dict[str, tuple[str, ...]] = {
    "item_id": (
        # de / fr / es / it / nl
        "Artikelnummer", "Artikelnr", "Art.-Nr.", "Artikel-ID", "Produktnummer", "Produkt-ID", "EAN-Code",
        "Référence", "Réf.", "Code article", "Code produit", "Référence produit",
        "Referencia", "Código", "Código de producto", "Código artículo",
        "Codice", "Codice articolo", "Codice prodotto", "Cod. articolo",
        "Artikelcode", "Productcode", "Productnummer",
        # zh / ja
        "商品编号", "商品编码", "商品ID", "货号", "条码", "产品编号", "产品ID", "编码", "SKU编码",
        "商品コード", "商品番号", "品番", "JANコード", "商品ID",
    ),
    "title": (
        "Artikel", "Artikelname", "Bezeichnung", "Artikelbezeichnung", "Produkt", "Produktname",
        "Produit", "Désignation", "Libellé", "Nom du produit",
        "Producto", "Artículo", "Nombre del producto", "Descripción del artículo",
        "Prodotto", "Articolo", "Nome prodotto",
        "Productnaam", "Omschrijving",
        "商品", "商品名称", "商品名", "品名", "产品名称", "产品", "名称",
        "商品名", "品名", "アイテム名",
    ),
    "description": (
        "Beschreibung", "Produktbeschreibung", "Langtext", "Description produit", "Descripción", "Descrizione",
        "Beschrijving", "描述", "商品描述", "商品详情", "説明", "商品説明",
    ),
    "category": (
        "Kategorie", "Warengruppe", "Produktkategorie", "Catégorie", "Famille", "Rayon", "Categoría", "Familia",
        "Categoria", "Reparto", "Categorie", "Productgroep", "Artikelgroep",
        "类别", "分类", "品类", "商品类别", "商品分类", "カテゴリ", "カテゴリー", "分類", "商品カテゴリ",
    ),
    "tags": ("Schlagwörter", "Stichwörter", "Étiquettes", "Mots-clés", "Etiquetas", "Etichette", "标签", "タグ"),
    "price": (
        "Preis", "Einzelpreis", "VK-Preis", "Verkaufspreis", "Stückpreis",
        "Prix", "Prix unitaire", "PU", "Prix de vente",
        "Precio", "Precio unitario", "PVP", "Prezzo", "Prezzo unitario",
        "Prijs", "Stukprijs", "Verkoopprijs",
        "单价", "价格", "售价", "销售单价", "単価", "価格", "販売価格", "税込価格",
    ),
    "stock": (
        "Bestand", "Lagerbestand", "Lager", "Stock disponible", "Existencias", "Giacenza", "Disponibilità",
        "Voorraad", "库存", "库存数量", "在庫", "在庫数",
    ),
    "customer_id": (
        "Kundennr", "Kundennummer", "Kunden-Nr.", "Kunden-ID", "Kunde", "Kundenkonto",
        "Client", "N° client", "Numéro client", "ID client", "Code client",
        "Cliente", "Nº cliente", "Número de cliente", "ID cliente", "Codice cliente",
        "Klant", "Klantnummer", "Klantnr", "Klant-ID",
        "客户", "客户编号", "客户ID", "会员", "会员号", "会员编号", "会员卡号", "顾客", "顾客编号", "用户ID",
        "顧客", "顧客ID", "顧客番号", "会員番号", "会員ID",
    ),
    "timestamp": (
        "Datum", "Belegdatum", "Verkaufsdatum", "Bestelldatum", "Rechnungsdatum", "Zeitpunkt",
        "Date de commande", "Date de vente", "Date facture", "Fecha", "Fecha de pedido", "Fecha de venta",
        "Data ordine", "Data vendita", "Data", "Besteldatum", "Orderdatum", "Verkoopdatum",
        "日期", "时间", "下单时间", "订单时间", "交易时间", "销售日期", "付款时间", "创建时间",
        "日付", "日時", "注文日", "注文日時", "購入日", "売上日", "受注日",
    ),
    "quantity": (
        "Menge", "Anzahl", "Stückzahl", "Quantité", "Qté", "Cantidad", "Cant.", "Quantità", "Qtà", "Aantal",
        "数量", "销量", "购买数量", "個数",
    ),
    "rating": ("Bewertung", "Valoración", "Puntuación", "Voto", "Valutazione", "Beoordeling",
               "评分", "评价", "評価"),
    "order_id": (
        "Belegnr", "Belegnummer", "Bonnr", "Bonnummer", "Bestellnummer", "Bestellnr", "Rechnungsnr",
        "Rechnungsnummer", "Auftragsnummer", "Vorgang",
        "N° commande", "Numéro de commande", "Commande", "N° facture", "Ticket", "N° ticket",
        "Pedido", "Nº pedido", "Número de pedido", "Factura", "Nº ticket",
        "Ordine", "N. ordine", "Numero ordine", "Scontrino", "Fattura",
        "Bestelnummer", "Ordernummer", "Bonnummer", "Factuurnummer", "Bestelling",
        "订单号", "订单编号", "单号", "小票号", "流水号", "交易号",
        "注文番号", "伝票番号", "レシート番号", "受注番号",
    ),
    "customer_name": (
        "Kundenname", "Name des Kunden", "Nom du client", "Nom client", "Nombre del cliente", "Nome cliente",
        "Klantnaam", "客户名称", "客户姓名", "顾客姓名", "姓名", "顧客名", "氏名", "お名前",
    ),
    "email": ("E-Mail-Adresse", "Courriel", "Adresse e-mail", "Correo", "Correo electrónico", "Indirizzo email",
              "E-mailadres", "邮箱", "电子邮箱", "メールアドレス", "メール"),
    "status": ("Bestellstatus", "Statut", "Estado", "Stato", "Status bestelling", "状态", "订单状态",
               "ステータス", "注文ステータス"),
}

# A product's maker, kept as a tag (Shopify "Vendor").
VENDOR = ("vendor", "brand", "brands", "manufacturer", "Marke", "Hersteller", "Marque", "Fabricant", "Marca",
          "Fabricante", "Produttore", "Merk", "Fabrikant", "品牌", "厂商", "ブランド", "メーカー")
# Shopify's "Product Category" (Google's product taxonomy), kept as a tag when a Type column is the category.
TAXONOMY = ("productcategory", "googleshoppinggoogleproductcategory", "googleproductcategory")
# A column that names the currency of the line's prices (Shopify orders: "Currency" = EUR).
CURRENCY = ("currency", "currencycode", "Währung", "Devise", "Moneda", "Divisa", "Valuta", "货币", "币种", "通貨")
# A variant's option values: Shopify's "Option1 Value", WooCommerce's "Attribute 1 value(s)", or a plain column.
OPTION_LABELS = ("size", "colour", "color", "variant", "varianttitle", "weight", "Größe", "Farbe", "Gewicht", "Taille",
                 "Couleur", "Poids", "Talla", "Peso", "Taglia", "Colore", "Maat", "Kleur", "Gewicht", "尺码", "颜色",
                 "规格", "重量", "サイズ", "カラー", "色", "容量")
