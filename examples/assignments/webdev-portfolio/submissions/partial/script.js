var projects = [
  { "id": 1, "title": "Snake game" },
  { "id": 2, "title": "Calculator" },
  { "title": "To-do list" }
];
var list = document.getElementById("project-list");
var i = 0;
var total = projects.length;

for (i = 0; i < total; i++) {
  var item = document.createElement("li");
  item.textContent = projects[i].title;
  list.appendChild(item);
  // document.write("<li>" + projects[i].title + "</li>");
}
