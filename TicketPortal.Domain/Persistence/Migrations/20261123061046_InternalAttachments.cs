using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace TicketPortal.Domain.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class InternalAttachments : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<bool>(
                name: "IsInternal",
                table: "Attachments",
                type: "INTEGER",
                nullable: false,
                defaultValue: false);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "IsInternal",
                table: "Attachments");
        }
    }
}
