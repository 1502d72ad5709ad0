// Projects shown in the "Projects" section, built with the DOM (no innerHTML).
const projects = [
  { id: 1, title: "Recipe finder", year: 2024 },
  { id: 2, title: "Bus timetable", year: 2024 },
  { id: 3, title: "Photo gallery", year: 2023 },
];

function renderProjects(list) {
  const container = document.getElementById("project-list");
  for (const project of list) {
    const item = document.createElement("li");
    const title = document.createElement("strong");
    title.textContent = project.title;
    item.appendChild(title);
    item.appendChild(document.createTextNode(` (${project.year})`));
    container.appendChild(item);
  }
}

renderProjects(projects);
