// The LKj chapter editor: a contenteditable box instead of the text area, so a chapter pasted
// from Word keeps its paragraphs, bulleted and numbered lists, bold and italic.
//
// A paste is read here into the same small markup the server keeps (p, ul, ol, li, strong,
// em, br; workflow/naskah.py does the same reading and has the last word): Word's list
// paragraphs (style "mso-list", the bullet or number between <![if !supportLists]> and
// <![endif]>) become list items, its styles, classes, <o:p> and scripts are dropped. On
// submit the box's HTML goes in the text area with format "html". Without JavaScript the
// text area stays the editor.
(function () {
  "use strict";
  var form = document.querySelector("[data-sakip-naskah-form]");
  if (!form) { return; }
  var box = form.querySelector("[data-sakip-naskah]");
  var area = form.querySelector("[data-sakip-naskah-teks]");
  var format = form.querySelector("[data-sakip-naskah-format]");
  var tools = form.querySelector("[data-sakip-naskah-alat]");
  var DROP = /^(script|style|head|title|xml|template|noscript|iframe|object|svg|math|textarea|select|button|meta|link)$/;
  var BLOCK = /^(p|div|h[1-6]|blockquote|pre|address|table|tr|td|th|section|article|header|footer|dd|dt|dl|figure|caption)$/;
  var NUMBER = /^\(?[0-9a-zA-Z]{1,5}[.)]$/;

  function escapeText(text) {
    return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
  }

  function Reader() {
    this.blocks = []; this.line = []; this.kind = null; this.lists = []; this.marker = null;
  }
  Reader.prototype.close = function () {
    var html = this.line.join("").replace(/[\s\u00a0]+/g, " ").replace(/^ +| +$/g, "")
      .replace(/ *<br> */g, "<br>").replace(/^(<br>)+|(<br>)+$/g, "");
    var kind = this.kind;
    this.line = []; this.kind = null;
    if (!html.replace(/<[^>]*>/g, "").trim()) { return; }
    var last = this.blocks[this.blocks.length - 1];
    if (kind === null) { this.blocks.push({kind: "p", items: [html]}); }
    else if (last && last.kind === kind) { last.items.push(html); }
    else { this.blocks.push({kind: kind, items: [html]}); }
  };
  Reader.prototype.style = function (el, bold, italic) {
    var tag = el.tagName.toLowerCase(), css = (el.getAttribute("style") || "").toLowerCase().replace(/\s/g, "");
    if (tag === "b" || tag === "strong" || /^h[1-6]$/.test(tag)) { bold = true; }
    if (tag === "i" || tag === "em") { italic = true; }
    var w = css.match(/font-weight:(\w+)/), s = css.match(/font-style:(\w+)/);
    if (w) { bold = w[1] === "bold" || w[1] === "bolder" || (/^\d+$/.test(w[1]) && +w[1] >= 600); }
    if (s) { italic = s[1] === "italic" || s[1] === "oblique"; }
    return [bold, italic];
  };
  Reader.prototype.text = function (text, bold, italic) {
    if (this.marker !== null) { this.marker += text; return; }
    var html = escapeText(text);
    if (italic) { html = "<em>" + html + "</em>"; }
    if (bold) { html = "<strong>" + html + "</strong>"; }
    this.line.push(html);
  };
  Reader.prototype.comment = function (data) {
    var d = data.replace(/[\[\]\s]/g, "").toLowerCase();
    if (d === "if!supportlists") { this.marker = ""; }
    else if (d === "endif" && this.marker !== null) {
      if (this.kind && NUMBER.test(this.marker.replace(/[\s\u00a0]/g, ""))) { this.kind = "ol"; }
      this.marker = null;
    }
  };
  Reader.prototype.walk = function (node, bold, italic) {
    for (var child = node.firstChild; child; child = child.nextSibling) {
      if (child.nodeType === 3) { this.text(child.data, bold, italic); continue; }
      if (child.nodeType === 8) { this.comment(child.data); continue; }
      if (child.nodeType !== 1) { continue; }
      var tag = child.tagName.toLowerCase();
      if (DROP.test(tag)) { continue; }
      if (tag === "br") { if (this.marker === null) { this.line.push("<br>"); } continue; }
      var list = tag === "ul" || tag === "ol", item = tag === "li", block = BLOCK.test(tag);
      if (list || item || block) { this.close(); }
      if (list) { this.lists.push(tag); }
      if (item) { this.kind = this.lists.length ? this.lists[this.lists.length - 1] : "ul"; }
      var css = (child.getAttribute("style") || "").replace(/\s/g, "");
      if (block && css.indexOf("mso-list:") >= 0 && css.indexOf("level") >= 0) { this.kind = "ul"; }
      var look = this.style(child, bold, italic);
      this.walk(child, look[0], look[1]);
      if (list) { this.close(); this.lists.pop(); }
      if (item || block) { this.close(); }
    }
  };
  function clean(html) {
    var doc = new DOMParser().parseFromString(html, "text/html");
    var reader = new Reader();
    reader.walk(doc.body, false, false);
    reader.close();
    return reader.blocks.map(function (b) {
      if (b.kind === "p") { return "<p>" + b.items[0] + "</p>"; }
      return "<" + b.kind + ">" + b.items.map(function (i) { return "<li>" + i + "</li>"; }).join("") + "</" + b.kind + ">";
    }).join("");
  }
  window.sakipNaskahBersih = clean;

  box.hidden = false;
  tools.hidden = false;
  area.hidden = true;
  box.addEventListener("paste", function (event) {
    var data = event.clipboardData;
    if (!data) { return; }
    var html = data.getData("text/html");
    event.preventDefault();
    if (html) {
      document.execCommand("insertHTML", false, clean(html));
    } else {
      var text = data.getData("text/plain") || "";
      document.execCommand("insertHTML", false, text.split(/\r?\n/).filter(function (l) { return l.trim(); })
        .map(function (l) { return "<p>" + escapeText(l) + "</p>"; }).join(""));
    }
  });
  tools.addEventListener("click", function (event) {
    var button = event.target.closest("[data-perintah]");
    if (!button) { return; }
    box.focus();
    document.execCommand(button.getAttribute("data-perintah"), false, null);
  });
  form.addEventListener("submit", function () {
    area.value = clean(box.innerHTML);
    format.value = "html";
  });
}());
