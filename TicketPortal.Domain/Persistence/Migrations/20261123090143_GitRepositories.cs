using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace TicketPortal.Domain.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class GitRepositories : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "Repositories",
                columns: table => new
                {
                    Id = table.Column<int>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    Name = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Path = table.Column<string>(type: "TEXT", nullable: false),
                    Remote = table.Column<string>(type: "TEXT", nullable: true),
                    Branch = table.Column<string>(type: "TEXT", nullable: false),
                    CommitUrl = table.Column<string>(type: "TEXT", nullable: true),
                    WebhookSecret = table.Column<string>(type: "TEXT", nullable: true),
                    ClosingBranches = table.Column<string>(type: "TEXT", nullable: false),
                    Tips = table.Column<string>(type: "TEXT", nullable: false),
                    Imported = table.Column<bool>(type: "INTEGER", nullable: false),
                    LastScanAt = table.Column<long>(type: "INTEGER", nullable: true),
                    LastError = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: true),
                    Commits = table.Column<int>(type: "INTEGER", nullable: false),
                    References = table.Column<int>(type: "INTEGER", nullable: false),
                    Applied = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Repositories", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "CommitLinks",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    Sha = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    TicketNumber = table.Column<int>(type: "INTEGER", nullable: false),
                    Kind = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    RepositoryId = table.Column<int>(type: "INTEGER", nullable: false),
                    SeenSha = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Branch = table.Column<string>(type: "TEXT", nullable: false),
                    Author = table.Column<string>(type: "TEXT", nullable: false),
                    AuthorEmail = table.Column<string>(type: "TEXT", nullable: false),
                    Subject = table.Column<string>(type: "TEXT", nullable: false),
                    CommittedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    MinutesSpent = table.Column<int>(type: "INTEGER", nullable: true),
                    Outcome = table.Column<string>(type: "TEXT", nullable: false),
                    Applied = table.Column<bool>(type: "INTEGER", nullable: false),
                    RecordedAt = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_CommitLinks", x => x.Id);
                    table.ForeignKey(
                        name: "FK_CommitLinks_Repositories_RepositoryId",
                        column: x => x.RepositoryId,
                        principalTable: "Repositories",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_CommitLinks_RepositoryId",
                table: "CommitLinks",
                column: "RepositoryId");

            migrationBuilder.CreateIndex(
                name: "IX_CommitLinks_Sha_TicketNumber_Kind",
                table: "CommitLinks",
                columns: new[] { "Sha", "TicketNumber", "Kind" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_CommitLinks_TicketNumber",
                table: "CommitLinks",
                column: "TicketNumber");

            migrationBuilder.CreateIndex(
                name: "IX_Repositories_Name",
                table: "Repositories",
                column: "Name",
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "CommitLinks");

            migrationBuilder.DropTable(
                name: "Repositories");
        }
    }
}
