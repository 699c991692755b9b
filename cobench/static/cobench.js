// cobench's few lines of script: repeatable rows in the charter form, signature suggestions and
// addresses to copy (a click selects them whole). Pages work without it; only adding rows to the
// charter form needs it. No handler lives in the HTML: the CSP runs only these files.
document.addEventListener("click", function (event) {
  var copy = event.target.closest("input.select-on-click");
  if (copy) {
    copy.select();
    return;
  }
  var add = event.target.closest("button.add-row");
  if (add) {
    event.preventDefault();
    var name = add.dataset.row;
    var body = document.getElementById("rows-" + name);
    var template = document.getElementById("template-" + name);
    var index = Number(body.dataset.next || body.children.length);
    body.dataset.next = index + 1;
    var html = template.innerHTML.replace(/__i__/g, String(index));
    body.insertAdjacentHTML("beforeend", html);
    var first = body.lastElementChild && body.lastElementChild.querySelector("input, select, textarea");
    if (first) first.focus();
    return;
  }
  var remove = event.target.closest("button.remove-row");
  if (remove) {
    event.preventDefault();
    remove.closest("tr").remove();
    return;
  }
  var suggest = event.target.closest("button[data-meaning]");
  if (suggest) {
    event.preventDefault();
    var input = document.getElementById(suggest.dataset.target);
    input.value = suggest.dataset.meaning;
    input.focus();
  }
});
