extension WebPage {
    /// The page's whole style sheet: status colours, tiles, alarm cards, one column on a phone.
    static let style = """
        :root{--ok:#1b7f3b;--alarm:#c62828;--fault:#f0a000;--offline:#6b6b6b;--maintenance:#1e5fbf;\
        --disabled:#d9d9d9}
        *{box-sizing:border-box}
        body{font-family:system-ui,-apple-system,"PingFang SC","Noto Sans CJK SC",sans-serif;margin:0;\
        font-size:17px;line-height:1.45;color:#111;background:#f4f4f4}
        header{background:#1f2937;color:#fff;padding:.5rem 1rem;display:flex;flex-wrap:wrap;gap:.4rem 1rem;\
        align-items:center}
        header a{color:#fff;display:inline-block;padding:.5rem .3rem}
        header .site{font-weight:700;margin-right:auto}
        main{max-width:72rem;margin:0 auto;padding:1rem}
        footer{color:#666;font-size:.8rem;padding:1rem;text-align:center}
        h1{font-size:1.4rem;margin:.3rem 0 .8rem} h2{font-size:1.2rem;margin:1.2rem 0 .5rem}
        h3{font-size:1.05rem;margin:.8rem 0 .4rem} h4{font-size:.95rem;margin:.5rem 0 .3rem;color:#333}
        .tiles{display:grid;grid-template-columns:repeat(auto-fill,minmax(11rem,1fr));gap:.5rem}
        .tile{display:block;padding:.6rem .7rem;border-radius:.4rem;color:#fff;text-decoration:none;\
        min-height:3.2rem;overflow-wrap:anywhere}
        .tile .label{display:block;font-size:.85rem;font-weight:700}
        .s-ok{background:var(--ok)} .s-alarm{background:var(--alarm)} .s-fault{background:var(--fault);color:#111}
        .s-offline{background:var(--offline)} .s-maintenance{background:var(--maintenance)}
        .s-disabled{background:var(--disabled);color:#333} .s-unknown{background:#fff;color:#333;border:1px dashed #999}
        .badge{display:inline-block;padding:.1rem .5rem;border-radius:.3rem;font-size:.9rem}
        .legend{display:flex;flex-wrap:wrap;gap:.4rem;margin:.5rem 0}
        .card{background:#fff;border-left:.5rem solid #999;padding:.6rem .8rem;margin:.5rem 0;border-radius:.3rem}
        .card.critical{border-color:var(--alarm)} .card.major{border-color:var(--fault)}
        .card.minor{border-color:var(--offline)}
        .card h3{margin:.1rem 0}
        .test{background:#e8f0fe;padding:.2rem .5rem;border-radius:.3rem}
        .notice{background:#e6f4ea;padding:.6rem .8rem;border-radius:.3rem}
        .problem{background:#fdecea;padding:.6rem .8rem;border-radius:.3rem}
        form.inline{display:inline}
        button,.button{font-size:1.05rem;min-height:48px;padding:.6rem 1.2rem;border:0;border-radius:.4rem;\
        background:var(--alarm);color:#fff;cursor:pointer;text-decoration:none;display:inline-block}
        button.quiet{background:transparent;color:#fff;border:1px solid #fff;min-height:40px;padding:.3rem .8rem}
        .button.secondary{background:#374151}
        input,textarea{font-size:1rem;width:100%;padding:.6rem;margin:.3rem 0 .6rem;border:1px solid #999;\
        border-radius:.3rem}
        label{display:block;margin-top:.5rem}
        table{border-collapse:collapse;width:100%;background:#fff}
        th,td{padding:.45rem .5rem;text-align:left;border-bottom:1px solid #ddd;vertical-align:top}
        dl{display:grid;grid-template-columns:auto 1fr;gap:.3rem .8rem;background:#fff;padding:.6rem}
        dt{font-weight:600} dd{margin:0;overflow-wrap:anywhere}
        svg{width:100%;height:auto;background:#fff;border-radius:.3rem}
        svg text{font-size:11px;fill:#333} svg .grid{stroke:#ddd} svg .axis{stroke:#333}
        svg .line{fill:none;stroke:#1e5fbf;stroke-width:1.5}
        @media (max-width:600px){main{padding:.5rem}.tiles{grid-template-columns:1fr}\
        .card form button,.card .button{width:100%;margin-top:.4rem}\
        table,tbody,tr,td{display:block;width:100%}thead{display:none}tr{border-bottom:2px solid #ccc}\
        td{border:0;padding:.2rem .5rem}dl{grid-template-columns:1fr}dt{margin-top:.4rem}}
        """
}
