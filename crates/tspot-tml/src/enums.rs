//! ThoughtSpot's enumerations. thoughtspot-tml types all of these as `str` (the EDoc protobuf
//! keeps them as strings); the values come from ThoughtSpot's TML parameter reference. Every enum
//! has `Other(String)` for values not listed here.

tml_enum! {
    /// `properties.column_type` of a column or formula.
    pub enum ColumnType {
        Attribute = "ATTRIBUTE",
        Measure = "MEASURE",
    }
}

tml_enum! {
    /// `properties.aggregation` of a column or formula, and `headline_aggregation` of a table column.
    pub enum Aggregation {
        Sum = "SUM",
        Count = "COUNT",
        CountDistinct = "COUNT_DISTINCT",
        Average = "AVERAGE",
        Min = "MIN",
        Max = "MAX",
        StdDeviation = "STD_DEVIATION",
        Variance = "VARIANCE",
        None = "NONE",
        /// Headlines only: the table's own aggregation.
        TableAggr = "TABLE_AGGR",
    }
}

tml_enum! {
    /// `properties.index_type` of a column.
    pub enum IndexType {
        Default = "DEFAULT",
        DontIndex = "DONT_INDEX",
        PrefixOnly = "PREFIX_ONLY",
        PrefixAndSubstring = "PREFIX_AND_SUBSTRING",
        PrefixAndWordSubstring = "PREFIX_AND_WORD_SUBSTRING",
    }
}

tml_enum! {
    /// `db_column_properties.data_type` of a table column (also `properties.data_type`).
    pub enum DataType {
        Int64 = "INT64",
        Int32 = "INT32",
        Double = "DOUBLE",
        Float = "FLOAT",
        Varchar = "VARCHAR",
        Bool = "BOOL",
        Date = "DATE",
        DateTime = "DATE_TIME",
        Time = "TIME",
    }
}

tml_enum! {
    /// `type` of a join.
    pub enum JoinType {
        Inner = "INNER",
        LeftOuter = "LEFT_OUTER",
        RightOuter = "RIGHT_OUTER",
        Outer = "OUTER",
    }
}

tml_enum! {
    /// `display_mode` of an answer.
    pub enum DisplayMode {
        ChartMode = "CHART_MODE",
        TableMode = "TABLE_MODE",
    }
}

tml_enum! {
    /// `chart.type` of an answer.
    pub enum ChartType {
        Column = "COLUMN",
        StackedColumn = "STACKED_COLUMN",
        Bar = "BAR",
        StackedBar = "STACKED_BAR",
        Line = "LINE",
        Area = "AREA",
        StackedArea = "STACKED_AREA",
        Pie = "PIE",
        Scatter = "SCATTER",
        Bubble = "BUBBLE",
        Pareto = "PARETO",
        Waterfall = "WATERFALL",
        Treemap = "TREEMAP",
        Heatmap = "HEATMAP",
        LineColumn = "LINE_COLUMN",
        LineStackedColumn = "LINE_STACKED_COLUMN",
        Funnel = "FUNNEL",
        PivotTable = "PIVOT_TABLE",
        GridTable = "GRID_TABLE",
        Sankey = "SANKEY",
        SpiderWeb = "SPIDER_WEB",
        WhiskerScatter = "WHISKER_SCATTER",
        Candlestick = "CANDLESTICK",
        Kpi = "KPI",
        GeoArea = "GEO_AREA",
        GeoBubble = "GEO_BUBBLE",
        GeoHeatmap = "GEO_HEATMAP",
        GeoEarthBar = "GEO_EARTH_BAR",
        GeoEarthArea = "GEO_EARTH_AREA",
        GeoEarthGraph = "GEO_EARTH_GRAPH",
        GeoEarthBubble = "GEO_EARTH_BUBBLE",
        GeoEarthHeatmap = "GEO_EARTH_HEATMAP",
    }
}

tml_enum! {
    /// `oper` of a filter.
    pub enum FilterOper {
        In = "in",
        NotIn = "not in",
        Between = "between",
        Eq = "=",
        Ne = "!=",
        Lt = "<",
        Le = "<=",
        Gt = ">",
        Ge = ">=",
    }
}

tml_enum! {
    /// `size` of a layout tile (older exports; newer ones give `x`, `y`, `height`, `width`).
    pub enum TileSize {
        ExtraSmall = "EXTRA_SMALL",
        Small = "SMALL",
        MediumSmall = "MEDIUM_SMALL",
        Medium = "MEDIUM",
        LargeSmall = "LARGE_SMALL",
        Large = "LARGE",
        ExtraLarge = "EXTRA_LARGE",
    }
}
